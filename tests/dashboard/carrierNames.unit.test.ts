import { beforeEach, describe, expect, it } from 'vitest';
import { carrierIdFor, carrierLabel, setCarrierNames } from '../../services/api/dashboard/src/carrierNames.ts';

describe('carriers by name on the desk', () => {
  beforeEach(() => setCarrierNames([
    { carrierId: 'C001', name: '台州椒江危险品运输有限公司' },
    { carrierId: 'C002', name: 'Taizhou Linhai Hazmat Transport' },
    { carrierId: 'C003', name: '台州黄岩化工物流有限公司' },
  ]));

  it('shows a carrier by its registered name, its id when the register has none, and a dash for none', () => {
    expect(carrierLabel('C001')).toBe('台州椒江危险品运输有限公司');
    expect(carrierLabel('C099')).toBe('C099');
    expect(carrierLabel(null)).toBe('—');
  });

  it('finds the one carrier whose name contains the typed text (case and spaces aside), an id as typed, and leaves an ambiguous text alone', () => {
    expect(carrierIdFor('椒江')).toBe('C001');
    expect(carrierIdFor('linhai hazmat')).toBe('C002');
    expect(carrierIdFor('C003')).toBe('C003');
    // Both Chinese names contain 台州: which one is not for the desk to guess.
    expect(carrierIdFor('台州')).toBe('台州');
    expect(carrierIdFor('nobody')).toBe('nobody');
  });
});
