/**
 * The numbers of the n-th fix of a bench's load as a BeiDou terminal reports them (JT/T 808:
 * degrees in millionths, speed in tenths of a km/h) and as they vary across a moving fleet: six
 * places and hundreds of thousands of distinct coordinates. Writing a number's JSON costs far more
 * for a fresh decimal than for one V8 wrote lately (it keeps a cache); coordinates drawn from a
 * few hundred values, as this load had before, hid that cost. Written from integers, so the
 * loader (which shares two cores with the server) stays cheap.
 */
export function fixNumbers(n: number): { lon: string; lat: string; speedKmh: string; headingDeg: number } {
  const lon = 121_000_000 + ((n * 7_919) % 900_000);
  const lat = 28_300_000 + ((n * 4_271) % 700_000);
  const speed = (n * 37) % 1_200;
  return { lon: millionths(lon), lat: millionths(lat), speedKmh: `${Math.floor(speed / 10)}.${speed % 10}`, headingDeg: n % 360 };
}

/** A positive integer count of millionths as a decimal of six places ("121.004070"). */
const millionths = (m: number): string => `${Math.floor(m / 1e6)}.${String(m % 1e6).padStart(6, '0')}`;
