import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/fleet/acceptsGzip.ts';

describe('acceptsGzip', () => {
  it('accepts gzip listed (with or without a positive q) or covered by *', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
  });

  it('refuses a missing header, other encodings, q=0 and * overridden by gzip;q=0', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
  });
});
