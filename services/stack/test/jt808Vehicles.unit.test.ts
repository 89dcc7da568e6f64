import { describe, expect, it } from 'vitest';
import { demoTerminalEntries } from '../src/demoTerminals.ts';
import { jt808Vehicles } from '../src/jt808Demo.ts';

const ids = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `V${String(from + i).padStart(4, '0')}`);
const records = demoTerminalEntries(ids(60).map((vehicleId, i) => ({ vehicleId, carrierId: i < 21 ? 'C001' : 'C002', plateNo: `浙J·${String(10_000 + i)}`, terminalPhone: `139${String(i).padStart(8, '0')}` })));
const picked = (simulated: readonly string[], viaJt809: readonly string[], share: number): string[] => jt808Vehicles(simulated, new Set(viaJt809), records, share).map((r) => r.vehicleId!);

describe('which simulated vehicles report as JT/T 808 terminals', () => {
  it('takes the share evenly spread over the vehicles the JT/T 809 platform does not deliver', () => {
    expect(picked(ids(60), ids(21), 0.1)).toEqual(['V0022', 'V0031', 'V0041', 'V0051']);
    expect(picked(ids(60), [], 0.1)).toEqual(['V0001', 'V0011', 'V0021', 'V0031', 'V0041', 'V0051']);
  });

  it('takes at least one vehicle for any share above zero, none for zero', () => {
    expect(picked(ids(4), [], 0.01)).toEqual(['V0001']);
    expect(picked(ids(60), [], 0)).toEqual([]);
  });

  it('takes the platform\'s own vehicles when the platform delivers the whole (small) fleet', () => {
    expect(picked(ids(12), ids(21), 0.1)).toEqual(['V0001']);
  });

  it('skips vehicles without a terminal record', () => {
    expect(picked(['V9999', 'V0002'], [], 1)).toEqual(['V0002']);
  });
});

describe('terminal records derived from the seed register', () => {
  it('are the same on every derivation, with the registered phone, or a stable 149… one when the seeds give none', () => {
    const register = [{ vehicleId: 'V0007', carrierId: 'C1', plateNo: '浙J·00007' }, { vehicleId: 'V0008', carrierId: 'C1', plateNo: '浙J·00008', terminalPhone: '13800000008' }];
    const first = demoTerminalEntries(register);
    expect(demoTerminalEntries(register)).toEqual(first);
    expect(first.map((t) => t.phone)).toEqual(['14900000007', '13800000008']);
    expect(first[1]).toEqual({ phone: '13800000008', plate: '浙J·00008', plateColour: 2, manufacturerId: 'DGTSM', terminalModel: 'DGT-SIM-808', terminalId: '0000008', vehicleId: 'V0008' });
  });
});
