import { describe, expect, it } from 'vitest';
import { findByPlate, plateSearchKey } from '../../services/api/dashboard/src/format.ts';

const fleet = [
  { vehicleId: 'V-1', plateNo: '浙J·A6LXE' },
  { vehicleId: 'V-2', plateNo: '浙J·A1001' },
  { vehicleId: 'V-3', plateNo: '浙J·A1002' },
  { vehicleId: 'V-4', plateNo: null },
];

describe('finding a vehicle by its plate on the desk', () => {
  it('matches a plate however its separator, case and width were typed', () => {
    for (const typed of ['浙J·A6LXE', '浙JA6LXE', '浙j a6lxe', '浙J.A6LXE', '浙J-A6LXE', '浙Ｊ·Ａ６ＬＸＥ', ' 浙J•A6LXE ']) {
      expect(plateSearchKey(typed), typed).toBe('浙JA6LXE');
      expect(findByPlate(typed, fleet).map((v) => v.vehicleId), typed).toEqual(['V-1']);
    }
  });

  it('finds by part of a plate, in plate order, and by vehicle id; an exact plate wins over plates containing it', () => {
    expect(findByPlate('a100', fleet).map((v) => v.vehicleId)).toEqual(['V-2', 'V-3']);
    expect(findByPlate('6lx', fleet).map((v) => v.vehicleId)).toEqual(['V-1']);
    expect(findByPlate('v-4', fleet).map((v) => v.vehicleId)).toEqual(['V-4']);
    const withPrefix = [...fleet, { vehicleId: 'V-5', plateNo: '浙J·A10012' }];
    expect(findByPlate('浙JA1001', withPrefix).map((v) => v.vehicleId)).toEqual(['V-2']);
  });

  it('finds nothing for one character or a plate no vehicle has', () => {
    expect(findByPlate('A', fleet)).toEqual([]);
    expect(findByPlate('浙J·B9999', fleet)).toEqual([]);
  });
});
