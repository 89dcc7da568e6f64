import { describe, expect, it } from 'vitest';
import { SseParser } from '../../services/api/dashboard/src/api/sseParser.ts';

describe('SseParser (the dashboard reads the alert stream with fetch)', () => {
  it('dispatches named events with their id, skipping comments and retry lines', () => {
    const parser = new SseParser();
    const messages = parser.feed('retry: 3000\n: connected\n\nevent: alert\nid: a1\ndata: {"alertId":"a1"}\n\n');
    expect(messages).toEqual([{ event: 'alert', data: '{"alertId":"a1"}', lastEventId: 'a1' }]);
    expect(parser.retryMs).toBe(3000);
    expect(parser.lastEventId).toBe('a1');
  });

  it('reassembles events split across chunks anywhere, including inside a CRLF', () => {
    const text = 'event: alert\r\nid: a2\r\ndata: line one\r\ndata: line two\r\n\r\nevent: alert\rdata: x\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(messages, `cut at ${cut}`).toEqual([
        { event: 'alert', data: 'line one\nline two', lastEventId: 'a2' },
        { event: 'alert', data: 'x', lastEventId: 'a2' },
      ]);
    }
  });

  it('ignores a leading byte-order mark, defaults the event name, and drops events without data', () => {
    const parser = new SseParser();
    expect(parser.feed('\uFEFFdata: plain\n\nevent: alert\nid: z\n\n')).toEqual([{ event: 'message', data: 'plain', lastEventId: '' }]);
    expect(parser.lastEventId).toBe('z');
  });
});
