import { lotNearPark, lots, type NodeId, parks } from './geography.ts';
import { type Product, products, type VehicleBody } from './goods.ts';
import { Prng } from './prng.ts';

/*
 * The synthetic fleet: carriers, their vehicles, drivers and escorts, and the consignors of each
 * park with the products they ship. Every name and number is invented (标注：虚构数据).
 * Generated from a fixed seed, so the seeds on disk and every simulation agree on the ids.
 */

export const FLEET_SEED = 'taizhou-fleet-v1';
export const DEFAULT_CARRIERS = 60;
export const DEFAULT_VEHICLES = 2_400;

export interface Carrier {
  carrierId: string;
  name: string;
  licenceNo: string;
  baseParkId: NodeId;
}

export interface Vehicle {
  vehicleId: string;
  carrierId: string;
  plateNo: string;
  terminalPhone: string;
  body: VehicleBody;
  capacityKg: number;
  homeLotId: NodeId;
  driverId: string;
  escortId: string;
}

export interface Person {
  personId: string;
  name: string;
  role: 'driver' | 'escort';
  /** 从业资格证 number (synthetic). */
  certificateNo: string;
  vehicleId: string;
}

export interface Consignor {
  consignorId: string;
  name: string;
  parkId: NodeId;
  unNumbers: string[];
}

export interface Fleet {
  carriers: Carrier[];
  vehicles: Vehicle[];
  people: Person[];
  consignors: Consignor[];
  products: readonly Product[];
}

const placeWords = ['椒江', '黄岩', '路桥', '临海', '温岭', '玉环', '天台', '仙居', '三门', '杜桥', '头门', '江口', '海门', '东海'];
const tradeWords = ['安达', '恒通', '顺运', '兴达', '华泰', '永安', '平安', '长运', '宏远', '诚信', '金盾', '海通', '东方', '远航', '鑫源', '和顺'];
const surnames = ['王', '李', '张', '陈', '林', '黄', '周', '吴', '徐', '郑', '叶', '蒋', '应', '潘', '金', '朱', '杨', '卢', '何', '章'];
const givenChars = ['伟', '军', '强', '勇', '杰', '斌', '华', '明', '海', '平', '峰', '波', '建', '国', '磊', '俊', '辉', '涛', '敏', '静', '丽', '芳', '燕', '红'];
const chemWords = ['化工', '制药', '新材料', '精细化工', '医化', '化学', '石化'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The fleet for `carriers` carriers and `vehicles` vehicles (the seeds use the defaults). */
export function buildFleet(carrierCount = DEFAULT_CARRIERS, vehicleCount = DEFAULT_VEHICLES): Fleet {
  const rng = new Prng(FLEET_SEED);
  const carriers: Carrier[] = [];
  const names = new Set<string>();
  for (let i = 1; i <= carrierCount; i++) {
    let name: string;
    do name = `台州${rng.pick(placeWords)}${rng.pick(tradeWords)}危险品运输有限公司`;
    while (names.has(name) && names.size < placeWords.length * tradeWords.length);
    if (names.has(name)) name = name.replace('有限公司', `${i}有限公司`);
    names.add(name);
    carriers.push({
      carrierId: `C${pad(i, 3)}`,
      name,
      licenceNo: `浙交运管许可台字331000${pad(rng.int(0, 999_999), 6)}号`,
      baseParkId: parks[(i - 1) % parks.length]!.id,
    });
  }

  // Fleet sizes vary a lot between carriers: weights from a skewed draw.
  const weights = carriers.map(() => 0.2 + rng.next() ** 2 * 3);
  const total = weights.reduce((a, b) => a + b, 0);
  const owner: number[] = [];
  let acc = 0;
  for (let c = 0; c < carriers.length; c++) {
    acc += weights[c]!;
    const until = c === carriers.length - 1 ? vehicleCount : Math.round((acc / total) * vehicleCount);
    while (owner.length < until) owner.push(c);
  }

  const vehicles: Vehicle[] = [];
  const people: Person[] = [];
  const plates = new Set<string>();
  const phones = new Set<string>();
  for (let v = 1; v <= vehicleCount; v++) {
    const carrier = carriers[owner[v - 1]!]!;
    let plateNo: string;
    do {
      // Serials of 5 characters, mostly digits, sometimes with one or two letters (浙J·A1234, 浙J·8K512).
      const chars = Array.from({ length: 5 }, (_, k) => (rng.chance(k === 0 ? 0.35 : 0.08) ? rng.pick([...PLATE_LETTERS]) : String(rng.int(0, 9))));
      plateNo = `浙J·${chars.join('')}`;
    } while (plates.has(plateNo));
    plates.add(plateNo);
    let terminalPhone: string;
    do terminalPhone = `1${rng.pick(['33', '35', '37', '38', '39', '58'])}${pad(rng.int(0, 99_999_999), 8)}`;
    while (phones.has(terminalPhone));
    phones.add(terminalPhone);
    const bodyDraw = rng.next();
    const body: VehicleBody = bodyDraw < 0.62 ? 'liquid-tanker' : bodyDraw < 0.8 ? 'gas-tanker' : 'box-van';
    const capacityKg = body === 'gas-tanker' ? rng.int(8, 16) * 1_000 : body === 'box-van' ? rng.int(5, 15) * 1_000 : rng.int(12, 32) * 1_000;
    const homeLotId = rng.chance(0.8) ? lotNearPark[carrier.baseParkId]! : rng.pick(lots).id;
    const vehicleId = `V${pad(v, 4)}`;
    const driverId = `D${pad(v, 4)}`;
    const escortId = `E${pad(v, 4)}`;
    vehicles.push({ vehicleId, carrierId: carrier.carrierId, plateNo, terminalPhone, body, capacityKg, homeLotId, driverId, escortId });
    people.push(
      { personId: driverId, name: personName(rng), role: 'driver', certificateNo: `3310${pad(rng.int(0, 99_999_999_999), 11)}`, vehicleId },
      { personId: escortId, name: personName(rng), role: 'escort', certificateNo: `3310${pad(rng.int(0, 99_999_999_999), 11)}`, vehicleId },
    );
  }

  const consignors: Consignor[] = [];
  for (const park of parks) {
    const count = rng.int(3, 6);
    for (let k = 1; k <= count; k++) {
      const body = rng.pick<VehicleBody>(['liquid-tanker', 'liquid-tanker', 'gas-tanker', 'box-van']);
      const own = products.filter((p) => p.body === body);
      const unNumbers = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(own).unNumber))].sort();
      const town = park.nameZh.slice(0, 2);
      consignors.push({ consignorId: `CN-${park.id.slice(5)}-${k}`, name: `浙江${town}${rng.pick(tradeWords)}${rng.pick(chemWords)}有限公司`, parkId: park.id, unNumbers });
    }
  }
  // Every body type must have a consignor in every park, or some vehicles could never load there.
  for (const park of parks) {
    for (const body of ['liquid-tanker', 'gas-tanker', 'box-van'] as const) {
      const has = consignors.some((c) => c.parkId === park.id && c.unNumbers.some((u) => productOf(u).body === body));
      if (!has) {
        const k = consignors.filter((c) => c.parkId === park.id).length + 1;
        const unNumber = rng.pick(products.filter((p) => p.body === body)).unNumber;
        const town = park.nameZh.slice(0, 2);
        consignors.push({ consignorId: `CN-${park.id.slice(5)}-${k}`, name: `浙江${town}${rng.pick(tradeWords)}${rng.pick(chemWords)}有限公司`, parkId: park.id, unNumbers: [unNumber] });
      }
    }
  }
  return { carriers, vehicles, people, consignors, products };
}

function personName(rng: Prng): string {
  return rng.pick(surnames) + rng.pick(givenChars) + (rng.chance(0.7) ? rng.pick(givenChars) : '');
}

export function productOf(unNumber: string): Product {
  const p = products.find((x) => x.unNumber === unNumber);
  if (!p) throw new RangeError(`unknown UN number ${unNumber}`);
  return p;
}
