import { describe, expect, it } from 'vitest';
import { ApiError, errorFromBody } from '../../services/api/dashboard/src/api/apiError.ts';
import { withQuery } from '../../services/api/dashboard/src/api/apiClient.ts';
import { formatBytes, shortHash } from '../../services/api/dashboard/src/caseLabels.ts';
import { instant, localInputValue, refusalText, text } from '../../services/api/dashboard/src/panels/actionForm.ts';

/* The case forms' pure parts: how a refusal reads, how form values become a command's fields. */

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

  it('turns a datetime-local value back into the instant it shows', () => {
    const at = new Date(2026, 11, 3, 10, 25);
    const data = new FormData();
    data.set('deadline', localInputValue(at));
    expect(localInputValue(at)).toMatch(/^2026-12-03T10:25$/);
    expect(instant(data, 'deadline')).toBe(at.toISOString());
    data.set('bad', 'not a time');
    expect(instant(data, 'bad')).toBeUndefined();
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
