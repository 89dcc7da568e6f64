/** Real UN numbers and GB 6944 classes (domain brief list plus a few common Taizhou products). */
export interface Product {
  unNumber: string;
  name: string;
  nameZh: string;
  hazardClass: string;
  /** What carries it: liquid tankers, pressurised gas tankers, or box vans for packaged goods. */
  body: VehicleBody;
}

export type VehicleBody = 'liquid-tanker' | 'gas-tanker' | 'box-van';

export const products: readonly Product[] = [
  { unNumber: '1230', name: 'methanol', nameZh: '甲醇', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1090', name: 'acetone', nameZh: '丙酮', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1294', name: 'toluene', nameZh: '甲苯', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1648', name: 'acetonitrile', nameZh: '乙腈', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1170', name: 'ethanol', nameZh: '乙醇', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1203', name: 'motor spirit (gasoline)', nameZh: '汽油', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '1202', name: 'diesel fuel', nameZh: '柴油', hazardClass: '3', body: 'liquid-tanker' },
  { unNumber: '2014', name: 'hydrogen peroxide, aqueous solution', nameZh: '过氧化氢溶液', hazardClass: '5.1', body: 'liquid-tanker' },
  { unNumber: '1593', name: 'dichloromethane', nameZh: '二氯甲烷', hazardClass: '6.1', body: 'liquid-tanker' },
  { unNumber: '1789', name: 'hydrochloric acid', nameZh: '盐酸', hazardClass: '8', body: 'liquid-tanker' },
  { unNumber: '1830', name: 'sulphuric acid', nameZh: '硫酸', hazardClass: '8', body: 'liquid-tanker' },
  { unNumber: '1824', name: 'sodium hydroxide solution', nameZh: '氢氧化钠溶液', hazardClass: '8', body: 'liquid-tanker' },
  { unNumber: '1791', name: 'hypochlorite solution', nameZh: '次氯酸钠溶液', hazardClass: '8', body: 'liquid-tanker' },
  { unNumber: '1005', name: 'ammonia, anhydrous', nameZh: '液氨', hazardClass: '2.3', body: 'gas-tanker' },
  { unNumber: '1075', name: 'petroleum gases, liquefied (LPG)', nameZh: '液化石油气', hazardClass: '2.1', body: 'gas-tanker' },
  { unNumber: '1017', name: 'chlorine', nameZh: '氯', hazardClass: '2.3', body: 'gas-tanker' },
  { unNumber: '1978', name: 'propane', nameZh: '丙烷', hazardClass: '2.1', body: 'gas-tanker' },
  { unNumber: '1325', name: 'flammable solid, organic, n.o.s.', nameZh: '有机易燃固体，未另作规定的', hazardClass: '4.1', body: 'box-van' },
  { unNumber: '3077', name: 'environmentally hazardous substance, solid, n.o.s.', nameZh: '对环境有害的固态物质，未另作规定的', hazardClass: '9', body: 'box-van' },
  { unNumber: '1263', name: 'paint', nameZh: '涂料', hazardClass: '3', body: 'box-van' },
  { unNumber: '3082', name: 'environmentally hazardous substance, liquid, n.o.s.', nameZh: '对环境有害的液态物质，未另作规定的', hazardClass: '9', body: 'box-van' },
];
