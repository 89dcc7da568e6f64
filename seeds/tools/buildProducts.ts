// From seeds/taizhou/fleet.json to seeds/taizhou/products.ndjson: one ProductRegistered per
// consignor and UN number it ships (一企一品一码). Pure (no files, no clock): the same fleet
// gives the same bytes, so a test regenerates the file and compares.
import { canonicalJson, parseEvent, type DgtEvent } from '@dgt/events';

interface FleetProduct {
  readonly unNumber: string;
  readonly nameZh: string;
  readonly hazardClass: string;
}
interface FleetConsignor {
  readonly consignorId: string;
  readonly unNumbers: readonly string[];
}
export interface FleetSeed {
  readonly consignors: readonly FleetConsignor[];
  readonly products: readonly FleetProduct[];
}

/** Marks every text as a generic example: these are no firm's safety data sheet. */
const GENERIC = '【通用示例，非企业安全技术说明书】';

/**
 * Generic first measures per class (after the 《危险货物道路运输应急处置》 style of GB 18265/ERG
 * guides), written for a demo: real labels carry the firm's own SDS text.
 */
const measuresByClass: Readonly<Record<string, string>> = {
  '2.1':
    '易燃气体。疏散下风向人员，消除一切火源；泄漏未切断前不得熄灭泄漏处火焰，用水喷淋冷却储罐；在确保安全时关阀堵漏。',
  '2.3':
    '毒性气体。立即疏散下风向人员，处置人员佩戴正压式空气呼吸器、穿防护服；用雾状水稀释吸收，勿直接对泄漏点喷水；中毒者移至新鲜空气处并就医。',
  '3': '易燃液体。消除火源，禁止吸烟和明火；用干粉、泡沫或二氧化碳灭火，用水灭火无效；泄漏时筑堤收容，防止流入下水道和水体。',
  '4.1':
    '易燃固体。远离火源；用干粉、砂土或水灭火（遇水反应物质除外）；收集泄漏物放入洁净容器，避免扬尘。',
  '5.1':
    '氧化性物质。远离可燃物与还原剂；用大量水灭火和稀释；泄漏时用惰性材料吸收，不得用木屑等可燃物吸收。',
  '6.1':
    '毒性物质。疏散无关人员，处置人员佩戴防毒面具和防护手套；避免接触皮肤和吸入；泄漏物收容后交专业单位处理。',
  '8': '腐蚀性物质。避免接触皮肤和眼睛，处置人员穿耐酸碱防护服；泄漏时用砂土或中和剂收容，防止进入水体；接触后用大量清水冲洗至少 15 分钟并就医。',
  '9': '杂项危险物质。防止进入下水道和水体；泄漏物用惰性材料收容；火灾时按周边物质选择灭火剂。',
};

/** GB 12268 packing groups of the seed products (gases have none). */
const packingGroups: Readonly<Record<string, 'I' | 'II' | 'III'>> = {
  '1230': 'II',
  '1090': 'II',
  '1294': 'II',
  '1648': 'II',
  '1170': 'II',
  '1203': 'II',
  '1202': 'III',
  '2014': 'II',
  '1593': 'III',
  '1789': 'II',
  '1830': 'II',
  '1824': 'II',
  '1791': 'III',
  '1325': 'II',
  '3077': 'III',
  '1263': 'II',
  '3082': 'III',
};

/** Synthetic 24-hour emergency numbers (0576 is Taizhou's area code), one per consignor, from its position in the list. */
const phoneOf = (index: number): string => `0576-8${String(8_000_000 + index * 7_919).slice(-7)}`;

export function productEvents(fleet: FleetSeed): DgtEvent[] {
  const catalogue = new Map(fleet.products.map((p) => [p.unNumber, p]));
  const events: DgtEvent[] = [];
  fleet.consignors.forEach((consignor, index) => {
    for (const unNumber of consignor.unNumbers) {
      const product = catalogue.get(unNumber);
      if (product === undefined)
        throw new Error(
          `${consignor.consignorId} ships UN ${unNumber}, which is not in the goods catalogue`,
        );
      const measures = measuresByClass[product.hazardClass];
      if (measures === undefined)
        throw new Error(`no generic measures for class ${product.hazardClass}`);
      const packingGroup = packingGroups[unNumber];
      events.push(
        parseEvent({
          eventId: `product-${consignor.consignorId}-un${unNumber}`,
          type: 'ProductRegistered',
          occurredAt: '2026-01-01T00:00:00+08:00',
          data: {
            firmId: consignor.consignorId,
            productId: `un${unNumber}`,
            unNumber,
            properShippingName: product.nameZh,
            hazardClass: product.hazardClass,
            ...(packingGroup === undefined ? {} : { packingGroup }),
            emergencyMeasures: `${GENERIC}${measures}`,
            emergencyPhone: phoneOf(index),
          },
        }),
      );
    }
  });
  return events;
}

export function productsNdjson(fleet: FleetSeed): string {
  return (
    productEvents(fleet)
      .map((e) => canonicalJson(e))
      .join('\n') + '\n'
  );
}
