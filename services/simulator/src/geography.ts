/*
 * Taizhou reference geography for the synthetic data set. Every coordinate is APPROXIMATE
 * (WGS-84, hand-placed from public maps at a few hundred metres' accuracy at best): good enough
 * for a realistic simulation and a demo map, never for enforcement.
 *
 * Design rules the simulator and the accuracy evaluation rely on (checked by tests):
 * - accident-prone segments lie on one road, between junctions, and no other road comes within
 *   200 m of them, so a passage is always a drive along the segment, never a clip of its end cap;
 * - sites where vehicles stop (park bays, lots, customer sites) are far from every segment;
 * - a restricted area (zoneSpecs.ts) is crossed by exactly the roads that name it in
 *   `restrictedZoneId`, from one side to the other, and every other road keeps well away, so
 *   whether a drive enters it depends only on the route chosen.
 */

export type LonLat = readonly [number, number];

export type RoadClass = 'expressway' | 'road';

/** Hazmat speed limits (《危险货物道路运输安全管理办法》 §46). */
export const speedLimitKmh: Readonly<Record<RoadClass, number>> = { expressway: 80, road: 60 };

/** Named graph nodes: junctions, interchanges and the ends of spurs to sites. */
export const nodes = {
  // G15 Shenhai expressway
  'g15-wenling': [121.3, 28.4],
  'g15-wenling-n': [121.24, 28.52],
  'g15-huangyan': [121.21, 28.64],
  'g15-s28': [121.17, 28.76],
  'g15-linhai': [121.12, 28.87],
  'g15-sanmen': [121.38, 29.05],
  // G1523 coastal expressway
  'g1523-yuhuan': [121.27, 28.21],
  'g1523-wenling-e': [121.49, 28.44],
  'g1523-jiaojiang': [121.53, 28.62],
  'g1523-linhai': [121.55, 28.745],
  // G104 and local junctions
  'g104-linhai': [121.15, 28.86],
  yuanqiao: [121.32, 28.55],
  's28-xianju': [120.83, 28.85],
  'xianju-j': [120.81, 28.855],
  'tiantai-j': [121.055, 29.138],
  'huangyan-j': [121.315, 28.652],
  'huangjiao-mid': [121.38, 28.66],
  'jiaojiang-j': [121.47, 28.67],
  'chuannan-j': [121.565, 28.735],
  'toumen-j': [121.69, 28.706],
  'yuhuan-j': [121.256, 28.182],
  'wenling-e-j': [121.52, 28.41],
  // Huangyan's second ring road (east section) meets the old road through the centre here.
  'huangyan-ring-n': [121.3165, 28.634],
  'huangyan-ring-s': [121.3185, 28.592],
  // Sites: park loading bays
  'park-jiaojiang': [121.465, 28.685],
  'park-linhai': [121.57, 28.72],
  'park-toumen': [121.7, 28.7],
  'park-huangyan': [121.31, 28.645],
  'park-xianju': [120.79, 28.865],
  'park-tiantai': [121.05, 29.15],
  'park-yuhuan': [121.25, 28.17],
  'park-wenling': [121.53, 28.4],
  // Sites: dedicated hazmat parking lots (centre)
  'lot-xianju': [120.8, 28.86],
  'lot-jiaojiang': [121.48, 28.69],
  'lot-linhai': [121.59, 28.73],
  'lot-toumen': [121.694, 28.714],
  'lot-huangyan': [121.326, 28.657],
  'lot-tiantai': [121.062, 29.143],
  'lot-yuhuan': [121.266, 28.176],
  'lot-wenling': [121.514, 28.396],
  // Sites: customers (destinations only)
  'site-sanmen': [121.4, 29.062],
  'site-linhai-city': [121.105, 28.885],
  'site-wenling-city': [121.37, 28.375],
  'site-huangyan-city': [121.195, 28.628],
  'site-jiaojiang-water': [121.392, 28.672],
  'site-xianju-pharma': [120.845, 28.866],
  'site-tiantai-city': [121.03, 29.128],
} as const satisfies Record<string, LonLat>;

export type NodeId = keyof typeof nodes;

/** A road: named nodes (graph vertices) and shape points between them. */
export interface RoadSpec {
  id: string;
  name: string;
  roadClass: RoadClass;
  points: readonly (NodeId | LonLat)[];
  /** The restricted area this road runs through: vehicles laden within the rules route around it. */
  restrictedZoneId?: string;
}

/**
 * A 220 m tunnel on G1523 north of Wenling east (synthetic): at expressway speed a vehicle is
 * inside its corridor for 11–14 s, so with 15–30 s reports it is often passed with no fix inside
 * (the case the detector must interpolate). Both ends lie on the straight G1523 piece.
 */
export const wenlingTunnel: readonly LonLat[] = [
  [121.5, 28.485],
  [121.500432, 28.486942],
];
/** The Taizhou Bay bridge and the Kuocangshan tunnels, as drawn on G1523 and S28. */
export const bayBridge: readonly LonLat[] = [
  [121.537, 28.65],
  [121.542, 28.678],
  [121.548, 28.705],
];
export const kuocangTunnels: readonly LonLat[] = [
  [121.0, 28.818],
  [120.97, 28.826],
  [120.94, 28.834],
];
/** G104 from Toutuo to 1 km before the Yuanqiao junction; Huayanshan tunnel is its 3rd piece. */
export const g104Toutuo: LonLat = [121.22, 28.72];
export const g104Huangyan: LonLat = [121.26, 28.645];
export const huayanN: LonLat = [121.275, 28.612];
export const huayanS: LonLat = [121.292, 28.58];
export const g104SegmentEnd: LonLat = [121.3135, 28.557];

export const roads: readonly RoadSpec[] = [
  {
    id: 'G15',
    name: 'G15 Shenhai expressway (沈海高速)',
    roadClass: 'expressway',
    points: ['g15-wenling', [121.27, 28.46], 'g15-wenling-n', [121.22, 28.58], 'g15-huangyan', [121.19, 28.7], 'g15-s28', [121.14, 28.82], 'g15-linhai', [121.18, 28.93], [121.28, 28.99], 'g15-sanmen'],
  },
  {
    id: 'G1523',
    name: 'G1523 Ningbo–Dongguan coastal expressway (甬莞高速)',
    roadClass: 'expressway',
    points: ['g1523-yuhuan', [121.36, 28.3], 'g1523-wenling-e', ...wenlingTunnel, [121.51, 28.53], 'g1523-jiaojiang', ...bayBridge, [121.552, 28.725], 'g1523-linhai', [121.5, 28.85], [121.45, 28.96], 'g15-sanmen'],
  },
  {
    id: 'S28',
    name: 'S28 Taizhou–Jinhua expressway (台金高速)',
    roadClass: 'expressway',
    points: ['g15-s28', [121.08, 28.8], ...kuocangTunnels, 's28-xianju'],
  },
  {
    id: 'G104',
    name: 'G104 national road (104国道)',
    roadClass: 'road',
    points: ['g104-linhai', [121.19, 28.79], g104Toutuo, g104Huangyan, huayanN, huayanS, g104SegmentEnd, 'yuanqiao', [121.33, 28.47], 'g15-wenling'],
  },
  { id: 'linhai-link', name: 'Linhai connector', roadClass: 'road', points: ['g15-linhai', 'g104-linhai'] },
  { id: 'wenling-link', name: 'Wenling connector', roadClass: 'road', points: ['g15-wenling', [121.33, 28.34], [121.32, 28.28], 'g1523-yuhuan'] },
  { id: 'huangjiao', name: 'Huangyan–Jiaojiang road (黄椒路)', roadClass: 'road', points: ['huangyan-j', 'huangjiao-mid', [121.44, 28.666], 'jiaojiang-j', [121.5, 28.64], 'g1523-jiaojiang'] },
  // The old road south from Jiangkou runs through Huangyan's centre; the ring road goes round it.
  { id: 'huangyan-south-road', name: 'Jiangkou south road', roadClass: 'road', points: ['huangyan-j', 'huangyan-ring-n'] },
  {
    id: 'huangyan-centre-road',
    name: 'Huangyan centre road (inside the second ring road)',
    roadClass: 'road',
    points: ['huangyan-ring-n', 'huangyan-ring-s'],
    restrictedZoneId: 'restricted-huangyan-centre',
  },
  { id: 'huangyan-ring-east', name: 'Huangyan second ring road, east section (二环东路)', roadClass: 'road', points: ['huangyan-ring-n', [121.343, 28.63], [121.346, 28.597], 'huangyan-ring-s'] },
  { id: 'yuanqiao-road', name: 'Yuanqiao road', roadClass: 'road', points: ['huangyan-ring-s', 'yuanqiao'] },
  { id: 'tiantai-road', name: 'Linhai–Tiantai road', roadClass: 'road', points: ['g15-linhai', [121.1, 28.95], [121.07, 29.05], 'tiantai-j'] },
  { id: 'toumen-road', name: 'Toumen port road and bridge', roadClass: 'road', points: ['chuannan-j', [121.62, 28.73], [121.66, 28.715], 'toumen-j'] },
  // Access roads to the parks, lots and customer sites
  { id: 'acc-chuannan', name: 'Chuannan access road', roadClass: 'road', points: ['g1523-linhai', 'chuannan-j'] },
  { id: 'acc-xianju', name: 'Xianju access road', roadClass: 'road', points: ['s28-xianju', 'xianju-j'] },
  { id: 'acc-yuhuan', name: 'Yuhuan access road', roadClass: 'road', points: ['g1523-yuhuan', 'yuhuan-j'] },
  { id: 'acc-wenling-e', name: 'Wenling east access road', roadClass: 'road', points: ['g1523-wenling-e', 'wenling-e-j'] },
  { id: 'acc-park-jiaojiang', name: 'Waisha–Yantou park road', roadClass: 'road', points: ['jiaojiang-j', 'park-jiaojiang'] },
  { id: 'acc-park-linhai', name: 'Linhai park road', roadClass: 'road', points: ['chuannan-j', 'park-linhai'] },
  { id: 'acc-park-toumen', name: 'Toumen port park road', roadClass: 'road', points: ['toumen-j', 'park-toumen'] },
  { id: 'acc-park-huangyan', name: 'Jiangkou park road', roadClass: 'road', points: ['huangyan-j', 'park-huangyan'] },
  { id: 'acc-park-xianju', name: 'Xianju cluster road', roadClass: 'road', points: ['xianju-j', 'park-xianju'] },
  { id: 'acc-park-tiantai', name: 'Cangshan park road', roadClass: 'road', points: ['tiantai-j', 'park-tiantai'] },
  { id: 'acc-park-yuhuan', name: 'Yuhuan park road', roadClass: 'road', points: ['yuhuan-j', 'park-yuhuan'] },
  { id: 'acc-park-wenling', name: 'Wenling east park road', roadClass: 'road', points: ['wenling-e-j', 'park-wenling'] },
  { id: 'acc-lot-xianju', name: 'Xianju lot road', roadClass: 'road', points: ['xianju-j', 'lot-xianju'] },
  { id: 'acc-lot-jiaojiang', name: 'Jiaojiang lot road', roadClass: 'road', points: ['jiaojiang-j', 'lot-jiaojiang'] },
  { id: 'acc-lot-linhai', name: 'Linhai lot road', roadClass: 'road', points: ['chuannan-j', 'lot-linhai'] },
  { id: 'acc-lot-toumen', name: 'Toumen lot road', roadClass: 'road', points: ['toumen-j', 'lot-toumen'] },
  { id: 'acc-lot-huangyan', name: 'Huangyan lot road', roadClass: 'road', points: ['huangyan-j', 'lot-huangyan'] },
  { id: 'acc-lot-tiantai', name: 'Tiantai lot road', roadClass: 'road', points: ['tiantai-j', 'lot-tiantai'] },
  { id: 'acc-lot-yuhuan', name: 'Yuhuan lot road', roadClass: 'road', points: ['yuhuan-j', 'lot-yuhuan'] },
  { id: 'acc-lot-wenling', name: 'Wenling lot road', roadClass: 'road', points: ['wenling-e-j', 'lot-wenling'] },
  { id: 'acc-site-sanmen', name: 'Sanmen coatings plant road', roadClass: 'road', points: ['g15-sanmen', 'site-sanmen'] },
  { id: 'acc-site-linhai-city', name: 'Linhai pharmaceutical plant road', roadClass: 'road', points: ['g15-linhai', 'site-linhai-city'] },
  { id: 'acc-site-wenling-city', name: 'Wenling fuel depot road', roadClass: 'road', points: ['g15-wenling', 'site-wenling-city'] },
  { id: 'acc-site-huangyan-city', name: 'Huangyan moulding plant road', roadClass: 'road', points: ['g15-huangyan', 'site-huangyan-city'] },
  { id: 'acc-site-jiaojiang-water', name: 'Jiaojiang water works road', roadClass: 'road', points: ['huangjiao-mid', 'site-jiaojiang-water'] },
  { id: 'acc-site-xianju-pharma', name: 'Xianju pharmaceutical plant road', roadClass: 'road', points: ['s28-xianju', 'site-xianju-pharma'] },
  { id: 'acc-site-tiantai-city', name: 'Tiantai gas station depot road', roadClass: 'road', points: ['tiantai-j', 'site-tiantai-city'] },
];

export type SiteKind = 'park' | 'lot' | 'customer';

export interface SiteSpec {
  id: NodeId;
  kind: SiteKind;
  name: string;
  nameZh: string;
}

export const parks: readonly SiteSpec[] = [
  { id: 'park-jiaojiang', kind: 'park', name: 'Jiaojiang Waisha–Yantou chemical park', nameZh: '椒江外沙岩头化工园区' },
  { id: 'park-linhai', kind: 'park', name: 'Linhai Duqiao/Chuannan chemical park', nameZh: '临海杜桥川南化工园区' },
  { id: 'park-toumen', kind: 'park', name: 'Toumen port chemical park', nameZh: '头门港化工园区' },
  { id: 'park-huangyan', kind: 'park', name: 'Huangyan Jiangkou chemical park', nameZh: '黄岩江口化工园区' },
  { id: 'park-xianju', kind: 'park', name: 'Xianju modern industrial cluster', nameZh: '仙居现代工业集聚区' },
  { id: 'park-tiantai', kind: 'park', name: 'Tiantai Cangshan industrial park', nameZh: '天台苍山产业集聚区' },
  { id: 'park-yuhuan', kind: 'park', name: 'Yuhuan chemical park', nameZh: '玉环化工园区' },
  { id: 'park-wenling', kind: 'park', name: 'Wenling east chemical park', nameZh: '温岭东部化工园区' },
];

export const lots: readonly SiteSpec[] = [
  { id: 'lot-xianju', kind: 'lot', name: 'Xianju dedicated hazmat parking lot', nameZh: '仙居危险化学品专用停车场' },
  { id: 'lot-jiaojiang', kind: 'lot', name: 'Jiaojiang dedicated hazmat parking lot', nameZh: '椒江危险化学品专用停车场' },
  { id: 'lot-linhai', kind: 'lot', name: 'Linhai dedicated hazmat parking lot', nameZh: '临海危险化学品专用停车场' },
  { id: 'lot-toumen', kind: 'lot', name: 'Toumen port hazmat parking lot', nameZh: '头门港危险化学品专用停车场' },
  { id: 'lot-huangyan', kind: 'lot', name: 'Huangyan hazmat parking lot', nameZh: '黄岩危险化学品专用停车场' },
  { id: 'lot-tiantai', kind: 'lot', name: 'Tiantai hazmat parking lot', nameZh: '天台危险化学品专用停车场' },
  { id: 'lot-yuhuan', kind: 'lot', name: 'Yuhuan hazmat parking lot', nameZh: '玉环危险化学品专用停车场' },
  { id: 'lot-wenling', kind: 'lot', name: 'Wenling hazmat parking lot', nameZh: '温岭危险化学品专用停车场' },
];

export const customers: readonly SiteSpec[] = [
  { id: 'site-sanmen', kind: 'customer', name: 'Sanmen coatings plant (synthetic)', nameZh: '三门涂料厂（虚构）' },
  { id: 'site-linhai-city', kind: 'customer', name: 'Linhai pharmaceutical plant (synthetic)', nameZh: '临海制药厂（虚构）' },
  { id: 'site-wenling-city', kind: 'customer', name: 'Wenling fuel depot (synthetic)', nameZh: '温岭油库（虚构）' },
  { id: 'site-huangyan-city', kind: 'customer', name: 'Huangyan moulding plant (synthetic)', nameZh: '黄岩模塑厂（虚构）' },
  { id: 'site-jiaojiang-water', kind: 'customer', name: 'Jiaojiang water works (synthetic)', nameZh: '椒江水厂（虚构）' },
  { id: 'site-xianju-pharma', kind: 'customer', name: 'Xianju pharmaceutical plant (synthetic)', nameZh: '仙居制药厂（虚构）' },
  { id: 'site-tiantai-city', kind: 'customer', name: 'Tiantai gas station depot (synthetic)', nameZh: '天台加油站配送中心（虚构）' },
];

/** The lot paired with each park: where its fleet rests. */
export const lotNearPark: Readonly<Record<string, NodeId>> = {
  'park-jiaojiang': 'lot-jiaojiang',
  'park-linhai': 'lot-linhai',
  'park-toumen': 'lot-toumen',
  'park-huangyan': 'lot-huangyan',
  'park-xianju': 'lot-xianju',
  'park-tiantai': 'lot-tiantai',
  'park-yuhuan': 'lot-yuhuan',
  'park-wenling': 'lot-wenling',
};

/** Half-sizes of the zone polygons around a site's centre, in metres. */
export const lotHalfSizeM = 140;
export const parkHalfSizeM = 1_200;
/** The Linhai lot is declared in GCJ-02 (like a lot drawn on a Chinese web map). */
export const gcj02Lots: ReadonlySet<string> = new Set(['lot-linhai']);

export function nodeAt(id: NodeId): LonLat {
  return nodes[id];
}
