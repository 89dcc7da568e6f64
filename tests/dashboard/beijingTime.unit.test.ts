import { describe, expect, it } from 'vitest';
import { formatClock, formatTime, parseTypedTime, timeInputValue } from '../../services/api/dashboard/src/format.ts';

/* The desk shows and reads every time in Beijing time (UTC+8), whatever zone the browser is in. */

describe('Beijing time on the desk', () => {
  it('shows an instant as YYYY-MM-DD HH:mm:ss in Beijing time, 24-hour, across midnight and the year end', () => {
    expect(formatTime('2026-03-02T03:14:05Z')).toBe('2026-03-02 11:14:05');
    expect(formatTime('2026-03-02T11:14:05+08:00')).toBe('2026-03-02 11:14:05');
    expect(formatTime('2026-03-02T16:00:00Z')).toBe('2026-03-03 00:00:00');
    expect(formatTime('2026-12-31T15:59:59.999Z')).toBe('2026-12-31 23:59:59');
    expect(formatTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00');
    expect(formatTime('2026-07-01T13:05:09Z')).toBe('2026-07-01 21:05:09');
    expect(formatClock('2026-03-02T03:14:05Z')).toBe('11:14:05');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('garbage')).toBe('garbage');
  });

  it('does not depend on the zone the process runs in', () => {
    // The formatting reads UTC fields of a shifted instant; the local zone never enters.
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(formatTime('2026-03-02T03:14:05Z')).toBe('2026-03-02 11:14:05');
        expect(timeInputValue(new Date('2026-03-02T03:14:05Z'))).toBe('2026-03-02 11:14');
      }
    } finally {
      process.env.TZ = before;
    }
  });

  it('reads what an officer types as Beijing time, with or without seconds, a T, or a date alone', () => {
    expect(parseTypedTime('2026-03-02 11:14')).toBe('2026-03-02T03:14:00.000Z');
    expect(parseTypedTime(' 2026-03-02 11:14:05 ')).toBe('2026-03-02T03:14:05.000Z');
    expect(parseTypedTime('2026-03-02T11:14')).toBe('2026-03-02T03:14:00.000Z');
    expect(parseTypedTime('2026-3-2 9:05')).toBe('2026-03-02T01:05:00.000Z');
    expect(parseTypedTime('2026-03-02')).toBe('2026-03-01T16:00:00.000Z');
    // A full ISO time says its own zone.
    expect(parseTypedTime('2026-03-02T03:14:05Z')).toBe('2026-03-02T03:14:05.000Z');
    expect(parseTypedTime('2026-03-02T11:14:05+08:00')).toBe('2026-03-02T03:14:05.000Z');
    // Round trip with what the desk shows.
    expect(parseTypedTime(formatTime('2026-12-31T16:00:07Z'))).toBe('2026-12-31T16:00:07.000Z');
  });

  it('refuses what is no time instead of reading it as another', () => {
    for (const bad of ['03/02/2026 11:14', '2026-02-30 10:00', '2026-13-01', '2026-03-02 24:00', '2026-03-02 11:60', '11:14', 'yesterday', '2026-03-02 11:14 PM', '']) {
      expect(parseTypedTime(bad), bad).toBeNull();
    }
  });
});
