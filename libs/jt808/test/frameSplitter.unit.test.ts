import { describe, expect, it } from 'vitest';
import type { SplitItem } from '../src/index.ts';
import { decodeFrame, FrameSplitter, fromHex, toHex } from '../src/index.ts';
import { domainLocation2019, xtream } from './vectors/vectors.ts';

const frames = (items: SplitItem[]) => items.flatMap((i) => (i.kind === 'frame' ? [toHex(i.bytes)] : []));
const inner = (hex: string) => hex.slice(2, -2);

describe('FrameSplitter', () => {
  it('splits back-to-back frames and yields the bytes between the flags', () => {
    const s = new FrameSplitter();
    const out = s.push(fromHex(domainLocation2019.hex + xtream.heartbeat2019.hex));
    expect(frames(out)).toEqual([inner(domainLocation2019.hex), inner(xtream.heartbeat2019.hex)]);
    for (const item of out) expect(item.kind === 'frame' && decodeFrame(item.bytes).ok).toBe(true);
    expect(s.stats.frames).toBe(2);
  });

  it('accepts frames sharing one flag between them', () => {
    const shared = domainLocation2019.hex + inner(xtream.heartbeat2019.hex) + '7e';
    expect(frames(new FrameSplitter().push(fromHex(shared)))).toEqual([inner(domainLocation2019.hex), inner(xtream.heartbeat2019.hex)]);
  });

  it('reassembles a frame delivered one byte per chunk', () => {
    const s = new FrameSplitter();
    const bytes = fromHex(domainLocation2019.hex);
    const out = Array.from(bytes).flatMap((b) => s.push(Uint8Array.of(b)));
    expect(frames(out)).toEqual([inner(domainLocation2019.hex)]);
    expect(s.buffered).toBe(0);
  });

  it('discards and counts garbage before the first flag', () => {
    const s = new FrameSplitter();
    expect(s.push(fromHex('0102'))).toEqual([]);
    const out = s.push(fromHex(`0304${xtream.heartbeat2019.hex}`));
    expect(frames(out)).toEqual([inner(xtream.heartbeat2019.hex)]);
    expect(s.stats.garbageBytes).toBe(4);
  });

  it('an over-long frame gives one frame-too-large error, is discarded, and the next frame is found', () => {
    const s = new FrameSplitter({ maxFrameBytes: 64 });
    const out = [...s.push(fromHex(`7e${'11'.repeat(50)}`)), ...s.push(fromHex('22'.repeat(50))), ...s.push(fromHex(`7e${inner(xtream.heartbeat2019.hex)}7e`))];
    expect(out.filter((i) => i.kind === 'error').map((i) => i.kind === 'error' && i.error.kind)).toEqual(['frame-too-large']);
    expect(frames(out)).toEqual([inner(xtream.heartbeat2019.hex)]);
    expect(s.stats).toMatchObject({ oversizedFrames: 1, discardedBytes: 100 });
  });

  it('never buffers more than maxFrameBytes however long the flagless stream', () => {
    const s = new FrameSplitter({ maxFrameBytes: 100 });
    s.push(fromHex('7e'));
    for (let i = 0; i < 1000; i++) {
      s.push(new Uint8Array(997).fill(1));
      expect(s.buffered).toBeLessThanOrEqual(100);
    }
    expect(s.stats.oversizedFrames).toBe(1);
  });

  it('refuses a nonsensical maxFrameBytes', () => {
    expect(() => new FrameSplitter({ maxFrameBytes: 0 })).toThrow(RangeError);
  });

  it('yields frames that do not alias the pushed chunk', () => {
    const s = new FrameSplitter();
    const chunk = fromHex(xtream.heartbeat2019.hex);
    const [item] = s.push(chunk);
    chunk.fill(0);
    expect(item?.kind === 'frame' && toHex(item.bytes)).toBe(inner(xtream.heartbeat2019.hex));
  });
});
