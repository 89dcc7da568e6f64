/**
 * The standard's "simple encryption" of message bodies (JT/T 809 §5.x, both editions): a linear
 * congruential key stream seeded by the header's ENCRYPT_KEY, with the link's M1, IA1 and IC1:
 *   key = IA1 × (key mod M1) + IC1;  byte ^= (key >> 20) & 0xFF
 * in unsigned 32-bit arithmetic, as in the standard's C reference (a 0 key or M1 counts as 1).
 * SmallChi/JT809 computes the same (C# uint, unchecked); tucke/java-jtt809-2011 keeps `key` in a
 * Java long, so its stream differs from the standard's as soon as a product exceeds 2^32.
 * It obfuscates; it is not security. Encrypting and decrypting are the same operation.
 */
export interface CipherKeys {
  readonly m1: number;
  readonly ia1: number;
  readonly ic1: number;
}

/*
 * Key streams of recently seen (ENCRYPT_KEY, M1, IA1, IC1), kept from the second frame that uses
 * one: links in the wild keep one ENCRYPT_KEY for every frame (the national supervision link's
 * published frames, test/vectors guoJian, all carry 15241), and the stream — a division per
 * byte — is otherwise a third of the cost of decoding an encrypted fix. A key seen once (a sender
 * drawing a key per frame) costs only the look-up. A few entries, since a gateway decodes many
 * links' frames (each link's in runs, a TCP chunk at a time); each stream stops at MAX_STREAM.
 */
interface KeyStream {
  key: number;
  m1: number;
  ia1: number;
  ic1: number;
  /** Whether the stream is kept: false until the same key comes a second time. */
  kept: boolean;
  bytes: Uint8Array;
  /** Stream bytes computed so far, and the generator's state after them. */
  length: number;
  state: number;
}

const ENTRIES = 8;
const MAX_STREAM = 8_192;
const streams: KeyStream[] = [];
let victim = 0;

function entryFor(key: number, m1: number, ia1: number, ic1: number): KeyStream {
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]!;
    if (s.key === key && s.m1 === m1 && s.ia1 === ia1 && s.ic1 === ic1) return s;
  }
  let s: KeyStream;
  if (streams.length < ENTRIES) {
    s = { key, m1, ia1, ic1, kept: false, bytes: new Uint8Array(0), length: 0, state: key };
    streams.push(s);
    return s;
  }
  // Replace in turn, reusing the entry and its buffer.
  s = streams[victim]!;
  victim = (victim + 1) % ENTRIES;
  s.key = key;
  s.m1 = m1;
  s.ia1 = ia1;
  s.ic1 = ic1;
  s.kept = false;
  s.length = 0;
  s.state = key;
  return s;
}

function extend(s: KeyStream, n: number): void {
  if (s.bytes.length < n) {
    const grown = new Uint8Array(Math.min(MAX_STREAM, Math.max(n, 256, s.bytes.length * 2)));
    grown.set(s.bytes.subarray(0, s.length));
    s.bytes = grown;
  }
  const { m1, ia1, ic1, bytes } = s;
  let k = s.state;
  for (let i = s.length; i < n; i++) {
    k = (Math.imul(ia1, k % m1) + ic1) >>> 0;
    bytes[i] = (k >>> 20) & 0xff;
  }
  s.state = k;
  s.length = n;
}

/** XORs bytes[start, end) in place with the key stream of `key`. */
export function applyBodyCipher(bytes: Uint8Array, start: number, end: number, key: number, keys: CipherKeys): void {
  const k = key >>> 0 || 1;
  const m1 = keys.m1 >>> 0 || 1;
  const ia1 = keys.ia1 >>> 0;
  const ic1 = keys.ic1 >>> 0;
  const n = end - start;
  if (n <= 0) return;
  const s = entryFor(k, m1, ia1, ic1);
  if (!s.kept || n > MAX_STREAM) {
    s.kept = true;
    generate(bytes, start, end, k, m1, ia1, ic1);
    return;
  }
  if (s.length < n) extend(s, n);
  const stream = s.bytes;
  for (let i = 0; i < n; i++) bytes[start + i] = bytes[start + i]! ^ stream[i]!;
}

/** The stream computed as it is applied. */
function generate(bytes: Uint8Array, start: number, end: number, key: number, m1: number, ia1: number, ic1: number): void {
  let k = key;
  for (let i = start; i < end; i++) {
    k = (Math.imul(ia1, k % m1) + ic1) >>> 0;
    bytes[i] = bytes[i]! ^ ((k >>> 20) & 0xff);
  }
}
