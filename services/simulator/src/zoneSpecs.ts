import type { ZoneRules } from '@dgt/events';
import { bayBridge, g104Huangyan, g104SegmentEnd, g104Toutuo, huayanN, huayanS, kuocangTunnels, type LonLat, type NodeId, wenlingTunnel } from './geography.ts';

/*
 * The zones that carry rules, and the lots' capacities. SYNTHETIC and APPROXIMATE like the rest
 * of the geography: the rules are of the kind Taizhou's public security and transport bureaus
 * set (限速, 禁行区, 禁行时段), with invented numbers where no public one was found.
 */

/**
 * Night ban (禁行时段) for laden vehicles of flammable gases and liquids on long bridges and in
 * tunnels, where a fire or leak is hardest to reach: 22:00–06:00 Beijing time, wrapping midnight.
 */
const nightBanFlammable: Pick<ZoneRules, 'bannedHours' | 'hazardClasses'> = {
  bannedHours: [{ from: '22:00', to: '06:00' }],
  hazardClasses: ['2.1', '3'],
};

export interface SegmentSpec {
  zoneId: string;
  name: string;
  path: readonly LonLat[];
  bufferM: number;
  /** The road carrying it: only that road may come near it. */
  roadId: string;
  datum: 'WGS84' | 'GCJ02';
  /** Tunnels and bridges have no crossings, so no traffic lights; a stretch of road may. */
  structure: 'road' | 'tunnel' | 'bridge';
  rules?: ZoneRules;
}

export const segments: readonly SegmentSpec[] = [
  // A long stretch of an ordinary road: its passages are recorded as exposure, it bans nothing.
  {
    zoneId: 'seg-g104-toutuo-yuanqiao',
    name: 'G104 Toutuo–Yuanqiao (accident-prone)',
    path: [g104Toutuo, g104Huangyan, huayanN, huayanS, g104SegmentEnd],
    bufferM: 60,
    roadId: 'G104',
    datum: 'WGS84',
    structure: 'road',
  },
  // Inside the Toutuo–Yuanqiao stretch: a fix in the tunnel is in both zones, and the lower limit rules.
  {
    zoneId: 'seg-g104-huayanshan-tunnel',
    name: 'G104 Huayanshan tunnel',
    path: [huayanN, huayanS],
    bufferM: 50,
    roadId: 'G104',
    datum: 'WGS84',
    structure: 'tunnel',
    rules: { speedLimitKmh: 60, ...nightBanFlammable },
  },
  {
    zoneId: 'seg-s28-kuocangshan-tunnels',
    name: 'S28 Kuocangshan tunnels',
    path: kuocangTunnels,
    bufferM: 60,
    roadId: 'S28',
    datum: 'WGS84',
    structure: 'tunnel',
    rules: { speedLimitKmh: 60, ...nightBanFlammable },
  },
  // Declared in GCJ-02, as a map drawn in China would give it; the index converts it back.
  {
    zoneId: 'seg-g1523-taizhou-bay-bridge',
    name: 'G1523 Taizhou Bay bridge',
    path: bayBridge,
    bufferM: 80,
    roadId: 'G1523',
    datum: 'GCJ02',
    structure: 'bridge',
    rules: { speedLimitKmh: 60, ...nightBanFlammable },
  },
  // Short enough to be passed between two fixes; the expressway limit holds inside it.
  {
    zoneId: 'seg-g1523-wenling-tunnel',
    name: 'G1523 short tunnel north of Wenling east, synthetic',
    path: wenlingTunnel,
    bufferM: 25,
    roadId: 'G1523',
    datum: 'WGS84',
    structure: 'tunnel',
    rules: { ...nightBanFlammable },
  },
];

export interface RestrictedAreaSpec {
  zoneId: string;
  name: string;
  nameZh: string;
  /** Closed ring, WGS-84. */
  polygon: readonly LonLat[];
  rules: ZoneRules;
}

export const restrictedAreas: readonly RestrictedAreaSpec[] = [
  {
    // Since 2021-07-01 no hazmat vehicle may enter Huangyan inside its second ring road, at any
    // hour (domain brief). The contract bans laden vehicles; drawn round the sketch's centre road.
    zoneId: 'restricted-huangyan-centre',
    name: 'Huangyan centre inside the second ring road',
    nameZh: '黄岩城区二环内危险货物运输车辆禁行区',
    polygon: [
      [121.303, 28.606],
      [121.318, 28.6045],
      [121.331, 28.607],
      [121.3325, 28.616],
      [121.33, 28.6245],
      [121.316, 28.626],
      [121.304, 28.623],
      [121.3015, 28.615],
      [121.303, 28.606],
    ],
    rules: { ladenBanned: true },
  },
  {
    // Drinking-water source protection area (饮用水水源保护区) round Changtan reservoir, Taizhou's
    // main water source. No road of the sketch enters it: it is rule data for the map and the
    // engine, not a place the simulator drives.
    zoneId: 'restricted-changtan-reservoir',
    name: 'Changtan reservoir drinking-water source protection area',
    nameZh: '长潭水库饮用水水源保护区',
    polygon: [
      [121.075, 28.612],
      [121.092, 28.598],
      [121.118, 28.596],
      [121.135, 28.607],
      [121.131, 28.626],
      [121.108, 28.636],
      [121.084, 28.63],
      [121.075, 28.612],
    ],
    rules: { ladenBanned: true },
  },
];

/**
 * Vehicles each dedicated lot holds (invented; a lot polygon of ~6.7 ha fits a few hundred
 * tractor-trailers). Together ~1,800 places for 2,400 registered vehicles: the shortage of
 * dedicated parking the 2022 plan sets out to end, for planning to find.
 */
export const lotCapacity: Readonly<Record<string, number>> = {
  'lot-xianju': 200,
  'lot-jiaojiang': 260,
  'lot-linhai': 300,
  'lot-toumen': 240,
  'lot-huangyan': 180,
  'lot-tiantai': 160,
  'lot-yuhuan': 220,
  'lot-wenling': 240,
} satisfies Partial<Record<NodeId, number>>;
