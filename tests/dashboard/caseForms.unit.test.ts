import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, errorFromBody } from '../../services/api/dashboard/src/api/apiError.ts';
import { withQuery } from '../../services/api/dashboard/src/api/apiClient.ts';
import { formatBytes, shortHash } from '../../services/api/dashboard/src/caseLabels.ts';
import { instant, refusalText, text } from '../../services/api/dashboard/src/panels/actionForm.ts';
import { timeInputValue } from '../../services/api/dashboard/src/format.ts';
import { setLanguage } from '../../services/api/dashboard/src/i18n/translate.ts';

/* The case forms' pure parts: how a refusal reads, how form values become a command's fields. */

// The words below are the English catalogue's; the desk's default is Chinese (catalogues.unit.test.ts).
beforeAll(() => setLanguage('en'));

describe('refusalText', () => {
  it("shows the API's own message with the status, as the API answered a refusal", () => {
    const refusal = errorFromBody(409, { error: { code: 'CONFLICT', message: 'carrier-not-notified: notify the carrier before a penalty' } });
    expect(refusalText(refusal)).toBe('Refused (409): carrier-not-notified: notify the carrier before a penalty');
  });

  it('says nothing was recorded when the API could not be reached', () => {
    expect(refusalText(new ApiError('network', 'the API cannot be reached', 0))).toBe('The API cannot be reached; nothing was recorded. Try again.');
  });

  it("shows a form's own check (a missing field) as written", () => {
    expect(refusalText(new Error('Officer is required.'))).toBe('Officer is required.');
  });
});

describe('form values', () => {
  it('trims text and treats blank as absent', () => {
    const data = new FormData();
    data.set('reason', '  towed away  ');
    data.set('blank', '   ');
    expect(text(data, 'reason')).toBe('towed away');
    expect(text(data, 'blank')).toBeUndefined();
    expect(text(data, 'missing')).toBeUndefined();
  });

  it('turns a time field (Beijing time) back into the instant it shows, and refuses one that is no time with what to write', () => {
    const at = new Date('2026-12-03T02:25:00Z');
    const data = new FormData();
    data.set('deadline', timeInputValue(at));
    expect(timeInputValue(at)).toBe('2026-12-03 10:25');
    expect(instant(data, 'deadline')).toBe(at.toISOString());
    expect(instant(data, 'missing')).toBeUndefined();
    data.set('bad', '12/03/2026 10:25');
    expect(() => instant(data, 'bad', 'Respond by')).toThrow('Respond by: “12/03/2026 10:25” is not a time; write YYYY-MM-DD HH:mm (Beijing time (UTC+8)).');
  });

  it('leaves empty filters out of the case list query', () => {
    expect(withQuery('/v1/cases', { status: 'notified', kind: undefined, carrier: '', limit: 50, cursor: null })).toBe('/v1/cases?status=notified&limit=50');
  });
});

describe('hashes and sizes on the case page', () => {
  it('shortens a SHA-256 to 12 characters and keeps short text whole', () => {
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abc')).toBe('abc');
  });

  it('gives file sizes in B, KiB and MiB', () => {
    expect(formatBytes(14)).toBe('14 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});
