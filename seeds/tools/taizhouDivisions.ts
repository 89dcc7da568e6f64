// Taizhou's county-level divisions as they stand today (行政区划代码, names, pinyin), and the renames
// that older boundary data still carries.

export interface Division {
  code: string;
  name: string;
  nameEn: string;
}

export const TAIZHOU_DIVISIONS: readonly Division[] = [
  { code: '331002', name: '椒江区', nameEn: 'Jiaojiang' },
  { code: '331003', name: '黄岩区', nameEn: 'Huangyan' },
  { code: '331004', name: '路桥区', nameEn: 'Luqiao' },
  { code: '331022', name: '三门县', nameEn: 'Sanmen' },
  { code: '331023', name: '天台县', nameEn: 'Tiantai' },
  { code: '331024', name: '仙居县', nameEn: 'Xianju' },
  { code: '331081', name: '温岭市', nameEn: 'Wenling' },
  { code: '331082', name: '临海市', nameEn: 'Linhai' },
  { code: '331083', name: '玉环市', nameEn: 'Yuhuan' },
];

export interface Rename {
  fromCode: string;
  fromName: string;
  toCode: string;
  why: string;
}

/** Yuhuan county became a county-level city in 2017 (玉环县 331021 → 玉环市 331083), same territory. */
export const TAIZHOU_RENAMES: readonly Rename[] = [
  {
    fromCode: '331021',
    fromName: '玉环县',
    toCode: '331083',
    why: '玉环县 331021 became 玉环市 331083 in 2017 (county to county-level city, same territory)',
  },
];

/** The current division for a source feature's code and name, or an error message saying why not. */
export function currentDivision(code: string, name: string): Division | string {
  const rename = TAIZHOU_RENAMES.find((r) => r.fromCode === code);
  const target = rename ? rename.toCode : code;
  const division = TAIZHOU_DIVISIONS.find((d) => d.code === target);
  if (!division) return `code ${code} (${name}) is not one of Taizhou's county-level divisions`;
  const expected = rename ? rename.fromName : division.name;
  if (name !== expected)
    return `code ${code} is named ${JSON.stringify(name)}, expected ${JSON.stringify(expected)}`;
  return division;
}
