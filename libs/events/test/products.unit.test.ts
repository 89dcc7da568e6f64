import { describe, expect, it } from 'vitest';
import { parseEvent, safeParseEvent } from '../src/index.ts';

const methanol = {
  firmId: 'F-JH',
  productId: 'methanol',
  unNumber: '1230',
  properShippingName: '甲醇',
  hazardClass: '3',
  packingGroup: 'II',
  emergencyMeasures: '（通用示例）远离火源，用抗溶性泡沫、干粉或二氧化碳灭火。',
  emergencyPhone: '0576-88881234',
  sdsUrl: 'https://example.com/sds/methanol.pdf',
};
const registered = (data: Record<string, unknown>) => ({
  eventId: 'p-1',
  type: 'ProductRegistered',
  occurredAt: '2026-03-01T08:00:00+08:00',
  data,
});
const pathsOf = (r: ReturnType<typeof safeParseEvent>) =>
  r.ok ? [] : r.error.issues.map((i) => i.path);

describe('ProductRegistered (一企一品一码)', () => {
  it('accepts a firm’s product with every field, and one without packing group or SDS link', () => {
    expect(parseEvent(registered(methanol)).type).toBe('ProductRegistered');
    const { packingGroup: _pg, sdsUrl: _sds, ...bare } = methanol;
    expect(parseEvent(registered({ ...bare, unNumber: '1075', hazardClass: '2.1' })).type).toBe(
      'ProductRegistered',
    );
  });

  it('refuses a three-digit UN number, an unknown class and an unknown packing group, naming each field', () => {
    expect(pathsOf(safeParseEvent(registered({ ...methanol, unNumber: '123' })))).toEqual([
      'data.unNumber',
    ]);
    expect(pathsOf(safeParseEvent(registered({ ...methanol, hazardClass: '10' })))).toEqual([
      'data.hazardClass',
    ]);
    expect(pathsOf(safeParseEvent(registered({ ...methanol, packingGroup: 'IV' })))).toEqual([
      'data.packingGroup',
    ]);
  });

  it('refuses empty emergency measures, a phone that is not a number and a javascript: SDS link', () => {
    expect(pathsOf(safeParseEvent(registered({ ...methanol, emergencyMeasures: '' })))).toEqual([
      'data.emergencyMeasures',
    ]);
    expect(pathsOf(safeParseEvent(registered({ ...methanol, emergencyPhone: 'call us' })))).toEqual(
      ['data.emergencyPhone'],
    );
    expect(
      pathsOf(safeParseEvent(registered({ ...methanol, sdsUrl: 'javascript:alert(1)' }))),
    ).toEqual(['data.sdsUrl']);
  });
});

describe('ProductCodeRevoked', () => {
  const revoked = (data: Record<string, unknown>) => ({
    eventId: 'r-1',
    type: 'ProductCodeRevoked',
    occurredAt: '2026-03-02T08:00:00+08:00',
    data,
  });

  it('needs the firm, the product and a reason', () => {
    expect(
      parseEvent(revoked({ firmId: 'F-JH', productId: 'methanol', reason: '标签遗失' })).type,
    ).toBe('ProductCodeRevoked');
    expect(
      pathsOf(safeParseEvent(revoked({ firmId: 'F-JH', productId: 'methanol', reason: '' }))),
    ).toEqual(['data.reason']);
    expect(pathsOf(safeParseEvent(revoked({ firmId: 'F-JH', reason: 'x' })))).toEqual([
      'data.productId',
    ]);
  });
});
