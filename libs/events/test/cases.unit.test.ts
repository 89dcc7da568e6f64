import { describe, expect, it } from 'vitest';
import { caseEventTypes, eventCatalog, parseEvent, pointsEventTypes, safeParseEvent } from '../src/index.ts';

const sha = (c: string) => c.repeat(64);
const by = { principal: 'enforcement-key', role: 'enforcement' };
const carrierBy = { principal: 'c1-key', role: 'carrier', carrierId: 'C1' };
const photo = { sha256: sha('f'), name: 'photo-1.jpg', type: 'image/jpeg', size: 204_800 };

/** One valid example of every case and points event. */
const valid: Record<string, Record<string, unknown>> = {
  CaseOpened: { caseId: 'K1', carrierId: 'C1', vehicleId: 'V1', kind: 'illegal-parking', violationIds: ['p-1/IllegalParkingStarted'], window: { from: '2026-03-02T08:00:00+08:00', to: '2026-03-02T08:40:00+08:00' }, openedBy: 'officer', by: { principal: 'bureau-key', role: 'bureau' } },
  CaseAssigned: { caseId: 'K1', unit: '临海执法中队', officer: '王警官', by: { principal: 'bureau-key', role: 'bureau' } },
  EvidenceFrozen: {
    caseId: 'K1',
    selection: { vehicleIds: ['V1'], from: '2026-03-02T07:50:00+08:00', to: '2026-03-02T08:50:00+08:00' },
    thresholds: { illegalParkingAfterS: 600 },
    inputs: { sha256: sha('a'), events: 120, firstPosition: '1', lastPosition: '120' },
    reportDigest: sha('b'),
    archive: { html: sha('c'), json: sha('d'), csv: sha('e') },
    by,
  },
  OnSiteCheckRecorded: { caseId: 'K1', officer: '王警官', checkedAt: '2026-03-02T09:00:00+08:00', place: { lon: 121.42, lat: 28.65, text: 'G15 K1520' }, findings: '满载停于应急车道。', attachments: [photo], by },
  CarrierNotified: { caseId: 'K1', carrierId: 'C1', responseDeadline: '2026-03-09T09:00:00+08:00', by },
  CarrierResponded: { caseId: 'K1', carrierId: 'C1', response: 'appeal', reasons: '卸货点临时封闭。', attachments: [], by: carrierBy },
  AppealDecided: { caseId: 'K1', outcome: 'rejected', reasons: '未提供封闭证明。', by },
  CaseDisposed: { caseId: 'K1', disposition: 'penalised', legalBasis: '《危险货物道路运输安全管理办法》第六十六条', amountYuan: 2000.5, points: 3, by },
  CaseReopened: { caseId: 'K1', reason: '复核。', by: { principal: 'bureau-key', role: 'bureau' } },
  PointsRecorded: { carrierId: 'C1', caseId: 'K1', entryId: 'K1:1', kind: 'illegal-parking', points: 3, defaultPoints: 3, expiresAt: '2027-03-02T09:30:00.000+08:00', by },
  CorrectiveActionSubmitted: { carrierId: 'C1', actionId: 'A1', action: 'training', description: '停车规范培训。', attachments: [photo], by: carrierBy },
  PointsCleared: { carrierId: 'C1', actionId: 'A1', points: 3, by: { principal: 'bureau-key', role: 'bureau' } },
};

const event = (type: string, data: Record<string, unknown>) => ({ eventId: `${type}-1`, type, occurredAt: '2026-03-02T09:30:00+08:00', data });

function paths(type: string, data: Record<string, unknown>): string[] {
  const r = safeParseEvent(event(type, data));
  return r.ok ? [] : r.error.issues.map((i) => i.path);
}

describe('case and points events', () => {
  it('are in the catalogue at version 1, listed in caseEventTypes and pointsEventTypes', () => {
    expect([...caseEventTypes, ...pointsEventTypes].sort()).toEqual(Object.keys(valid).sort());
    for (const t of [...caseEventTypes, ...pointsEventTypes]) expect(eventCatalog[t].version).toBe(1);
  });

  it('parse a valid example of each type', () => {
    for (const [type, data] of Object.entries(valid)) expect(parseEvent(event(type, data)).data).toEqual(data);
  });

  it('name who decided: a carrier’s key names its carrier, and a role outside the list is refused', () => {
    expect(paths('CaseReopened', { ...valid.CaseReopened, by: { principal: 'c1-key', role: 'carrier' } })).toEqual(['data.by.carrierId']);
    expect(paths('CaseReopened', { ...valid.CaseReopened, by: { principal: 'k', role: 'ingest' } })).toEqual(['data.by.role']);
    expect(paths('CaseReopened', { ...valid.CaseReopened, by: undefined })).toEqual(['data.by']);
  });

  it('require the policy rule of a case opened by policy, and refuse one on a case opened by an officer', () => {
    expect(paths('CaseOpened', { ...valid.CaseOpened, openedBy: 'policy' })).toEqual(['data.policy']);
    expect(paths('CaseOpened', { ...valid.CaseOpened, openedBy: 'officer', policy: 'parking-30min' })).toEqual(['data.policy']);
    expect(paths('CaseOpened', { ...valid.CaseOpened, openedBy: 'policy', policy: 'parking-30min' })).toEqual([]);
  });

  it('refuse a case without violations, a window running backwards and a kind that is not kebab-case', () => {
    expect(paths('CaseOpened', { ...valid.CaseOpened, violationIds: [] })).toEqual(['data.violationIds']);
    expect(paths('CaseOpened', { ...valid.CaseOpened, window: { from: '2026-03-02T09:00:00+08:00', to: '2026-03-02T08:00:00+08:00' } })).toEqual(['data.window.to']);
    expect(paths('CaseOpened', { ...valid.CaseOpened, kind: 'IllegalParking' })).toEqual(['data.kind']);
  });

  it('refuse digests that are not SHA-256 and an empty or inverted selection', () => {
    expect(paths('EvidenceFrozen', { ...valid.EvidenceFrozen, reportDigest: sha('B') })).toEqual(['data.reportDigest']);
    expect(paths('EvidenceFrozen', { ...valid.EvidenceFrozen, archive: { html: sha('c'), json: sha('d') } })).toEqual(['data.archive.csv']);
    expect(paths('EvidenceFrozen', { ...valid.EvidenceFrozen, selection: { vehicleIds: [], from: '2026-03-02T09:00:00+08:00', to: '2026-03-02T08:00:00+08:00' } })).toEqual(['data.selection.vehicleIds', 'data.selection.to']);
  });

  it('bound attachments: hash, file name, media type, size and count', () => {
    const att = (over: Record<string, unknown>) => paths('OnSiteCheckRecorded', { ...valid.OnSiteCheckRecorded, attachments: [{ ...photo, ...over }] });
    expect(att({ sha256: 'abc' })).toEqual(['data.attachments.0.sha256']);
    expect(att({ name: 'a/b.jpg' })).toEqual(['data.attachments.0.name']);
    expect(att({ type: 'jpeg' })).toEqual(['data.attachments.0.type']);
    expect(att({ size: 0 })).toEqual(['data.attachments.0.size']);
    expect(att({ size: 60 * 1024 * 1024 })).toEqual(['data.attachments.0.size']);
    expect(paths('OnSiteCheckRecorded', { ...valid.OnSiteCheckRecorded, attachments: Array.from({ length: 21 }, () => photo) })).toEqual(['data.attachments']);
  });

  it('refuse blank or overlong texts', () => {
    expect(paths('OnSiteCheckRecorded', { ...valid.OnSiteCheckRecorded, findings: '   ' })).toEqual(['data.findings']);
    expect(paths('OnSiteCheckRecorded', { ...valid.OnSiteCheckRecorded, findings: 'x'.repeat(4001) })).toEqual(['data.findings']);
  });

  it('require reasons for an appeal, not for an acknowledgement', () => {
    expect(paths('CarrierResponded', { ...valid.CarrierResponded, reasons: undefined })).toEqual(['data.reasons']);
    expect(paths('CarrierResponded', { ...valid.CarrierResponded, response: 'acknowledge', reasons: undefined })).toEqual([]);
  });

  it('require legal basis and amount for a penalty, a reason for a dismissal, and refuse an amount on anything but a penalty', () => {
    expect(paths('CaseDisposed', { caseId: 'K1', disposition: 'penalised', by })).toEqual(['data.legalBasis', 'data.amountYuan']);
    expect(paths('CaseDisposed', { caseId: 'K1', disposition: 'dismissed', by })).toEqual(['data.reason']);
    expect(paths('CaseDisposed', { caseId: 'K1', disposition: 'warned', amountYuan: 100, by })).toEqual(['data.amountYuan']);
    expect(paths('CaseDisposed', { caseId: 'K1', disposition: 'warned', by })).toEqual([]);
    expect(paths('CaseDisposed', { ...valid.CaseDisposed, amountYuan: 10.001 })).toEqual(['data.amountYuan']);
  });

  it('require an override reason when points differ from the default, and whole points', () => {
    const r = safeParseEvent(event('PointsRecorded', { ...valid.PointsRecorded, points: 1 }));
    expect(r.ok ? [] : r.error.issues).toEqual([{ path: 'data.overrideReason', message: 'required when points (1) differ from the default (3)' }]);
    expect(paths('PointsRecorded', { ...valid.PointsRecorded, points: 1, overrideReason: '初次违法。' })).toEqual([]);
    expect(paths('PointsRecorded', { ...valid.PointsRecorded, points: 2.5, defaultPoints: 2.5 })).toEqual(['data.points', 'data.defaultPoints']);
    expect(paths('PointsCleared', { ...valid.PointsCleared, points: 0 })).toEqual(['data.points']);
  });

  it('accept only the listed corrective actions', () => {
    expect(paths('CorrectiveActionSubmitted', { ...valid.CorrectiveActionSubmitted, action: 'apology' })).toEqual(['data.action']);
  });
});
