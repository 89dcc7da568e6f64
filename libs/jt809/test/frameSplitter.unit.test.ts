import { describe, expect, it } from 'vitest';
import type { SplitItem } from '../src/index.ts';
import { decodeFrame, DEFAULT_MAX_FRAME_BYTES, FrameSplitter, fromHex, toHex } from '../src/index.ts';
import { dotNetty, smallChi } from './vectors/vectors.ts';

const frames = (items: SplitItem[]) => items.flatMap((i) => (i.kind === 'frame' ? [toHex(i.bytes)] : []));
const errors = (items: SplitItem[]) => items.flatMap((i) => (i.kind === 'error' ? [i.error.kind] : []));
const inner = (hex: string) => hex.slice(2, -2);

// Three published 2011 frames; the location one carries escape bytes (5A 02) in its length field.
const stream = [dotNetty.login2011.hex, dotNetty.location2011.hex, dotNetty.heartbeat2011.hex];

describe('FrameSplitter', () => {
  it('splits frames merged into one TCP chunk and hands over the escaped bytes between the flags', () => {
    const s = new FrameSplitter();
    const out = s.push(fromHex(stream.join('')));
    expect(frames(out)).toEqual(stream.map(inner));
    for (const item of out) expect(item.kind === 'frame' && decodeFrame(item.bytes, { edition: '2011' }).ok).toBe(true);
    expect(s.stats).toEqual({ frames: 3, garbageBytes: 0, oversizedFrames: 0, cutFrames: 0 });
  });

  it('finds the same frames whichever two points the stream is cut at', () => {
    const bytes = fromHex(stream.join(''));
    for (let a = 0; a <= bytes.length; a += 3) {
      for (let b = a; b <= bytes.length; b += 7) {
        const s = new FrameSplitter();
        const out = [...s.push(bytes.subarray(0, a)), ...s.push(bytes.subarray(a, b)), ...s.push(bytes.subarray(b))];
        expect(frames(out)).toEqual(stream.map(inner));
      }
    }
  });

  it('reassembles a frame delivered one byte per chunk and holds nothing afterwards', () => {
    const s = new FrameSplitter();
    const out = Array.from(fromHex(smallChi.registration2019.hex)).flatMap((b) => s.push(Uint8Array.of(b)));
    expect(frames(out)).toEqual([inner(smallChi.registration2019.hex)]);
    expect(s.buffered).toBe(0);
  });

  it('holds an unfinished frame until its 0x5D arrives', () => {
    const s = new FrameSplitter();
    const bytes = fromHex(smallChi.login2011.hex);
    expect(s.push(bytes.subarray(0, 40))).toEqual([]);
    expect(s.buffered).toBe(39);
    expect(frames(s.push(bytes.subarray(40)))).toEqual([inner(smallChi.login2011.hex)]);
  });

  it('discards and counts bytes outside frames, before the first flag and between frames', () => {
    const s = new FrameSplitter();
    const out = s.push(fromHex(`0102${dotNetty.heartbeat2011.hex}ffff${dotNetty.heartbeat2011.hex}`));
    expect(frames(out)).toHaveLength(2);
    expect(s.stats.garbageBytes).toBe(4);
  });

  it('a new 0x5B before the 0x5D reports the cut frame as truncated and keeps the new one', () => {
    const s = new FrameSplitter();
    const cut = dotNetty.login2011.hex.slice(0, 40);
    const out = s.push(fromHex(cut + dotNetty.heartbeat2011.hex));
    expect(errors(out)).toEqual(['truncated']);
    expect(frames(out)).toEqual([inner(dotNetty.heartbeat2011.hex)]);
    expect(s.stats.cutFrames).toBe(1);
  });

  it('an over-long frame gives one frame-too-large error, is skipped to its 0x5D, and the next frame is found', () => {
    const s = new FrameSplitter({ maxFrameBytes: 64 });
    const out = [...s.push(fromHex(`5b${'11'.repeat(100)}`)), ...s.push(fromHex(`${'22'.repeat(100)}5d${dotNetty.heartbeat2011.hex}`))];
    expect(errors(out)).toEqual(['frame-too-large']);
    expect(frames(out)).toEqual([inner(dotNetty.heartbeat2011.hex)]);
    expect(s.stats.oversizedFrames).toBe(1);
    expect(s.buffered).toBe(0);
  });

  it('an empty 5B 5D pair yields nothing', () => {
    const s = new FrameSplitter();
    expect(s.push(fromHex('5b5d'))).toEqual([]);
    expect(s.stats.frames).toBe(0);
  });

  it('reset forgets a partial frame', () => {
    const s = new FrameSplitter();
    s.push(fromHex(dotNetty.login2011.hex.slice(0, 20)));
    s.reset();
    expect(s.buffered).toBe(0);
    expect(frames(s.push(fromHex(`${dotNetty.login2011.hex.slice(20)}${dotNetty.heartbeat2011.hex}`)))).toEqual([inner(dotNetty.heartbeat2011.hex)]);
  });

  it('refuses a maximum frame size outside 32 bytes – 16 MiB and defaults to 8 KiB', () => {
    expect(() => new FrameSplitter({ maxFrameBytes: 31 })).toThrow(RangeError);
    expect(() => new FrameSplitter({ maxFrameBytes: 2 ** 24 + 1 })).toThrow(RangeError);
    expect(() => new FrameSplitter({ maxFrameBytes: 100.5 })).toThrow(RangeError);
    expect(new FrameSplitter().maxFrameBytes).toBe(DEFAULT_MAX_FRAME_BYTES);
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(8192);
  });

  it('200 KiB of frames in one chunk, then the chunk overwritten: every frame still holds its own bytes (frames outgrow one 64 KiB block)', () => {
    const frame = (i: number) => Uint8Array.from({ length: 100 }, (_, k) => (k === 0 ? 0x5b : k === 99 ? 0x5d : (i * 7 + k) % 0x5a));
    const chunk = new Uint8Array(2_048 * 100);
    for (let i = 0; i < 2_048; i++) chunk.set(frame(i), i * 100);
    const s = new FrameSplitter();
    const out = s.push(chunk);
    chunk.fill(0x11);
    s.push(chunk.fill(0x5b, 0, 1));
    expect(out).toHaveLength(2_048);
    out.forEach((item, i) => {
      if (item.kind !== 'frame' || toHex(item.bytes) !== toHex(frame(i).subarray(1, 99))) throw new Error(`frame ${i} changed`);
    });
  });

  it('frames it yields are copies: later chunks do not change them', () => {
    const s = new FrameSplitter();
    const [first] = s.push(fromHex(dotNetty.heartbeat2011.hex));
    s.push(fromHex(dotNetty.login2011.hex));
    expect(first?.kind === 'frame' && toHex(first.bytes)).toBe(inner(dotNetty.heartbeat2011.hex));
  });
});
