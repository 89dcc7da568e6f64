// Exact sign of a*b - c*d for doubles, the only predicate planar ray casting needs.
// A fast floating-point filter decides almost always; near-collinear cases fall back to
// error-free transformations (Dekker/Shewchuk), so the answer never depends on rounding.

const EPSILON = 2 ** -53;
/** Shewchuk's ccwerrboundA: when |det| exceeds this times the magnitude, its sign is certain. */
const ERR_BOUND = (3 + 16 * EPSILON) * EPSILON;
const SPLITTER = 134217729; // 2^27 + 1

/** Rounding error of the product p = fl(a*b): a*b = p + tail exactly. */
function productTail(a: number, b: number, p: number): number {
  let c = SPLITTER * a;
  const aHi = c - (c - a);
  const aLo = a - aHi;
  c = SPLITTER * b;
  const bHi = c - (c - b);
  const bLo = b - bHi;
  return aLo * bLo - (p - aHi * bHi - aLo * bHi - aHi * bLo);
}

// Scratch expansion; module-level so the slow path does not allocate.
const expansion = new Float64Array(4);

/** Adds b to the nonoverlapping expansion of length n (Shewchuk's Grow-Expansion, two-sum per component). */
function grow(n: number, b: number): number {
  let q = b;
  for (let i = 0; i < n; i++) {
    const e = expansion[i] as number;
    const x = q + e;
    const bv = x - q;
    const av = x - bv;
    expansion[i] = q - av + (e - bv);
    q = x;
  }
  expansion[n] = q;
  return n + 1;
}

/** Sign (-1, 0, 1) of the exact value of a*b - c*d. */
export function signOfDifferenceOfProducts(a: number, b: number, c: number, d: number): number {
  const left = a * b;
  const right = c * d;
  const det = left - right;
  const magnitude = Math.abs(left + right);
  if (Math.abs(det) >= ERR_BOUND * magnitude) return det > 0 ? 1 : det < 0 ? -1 : 0;
  expansion[0] = productTail(a, b, left);
  expansion[1] = left;
  let n = grow(2, -productTail(c, d, right));
  n = grow(3, -right);
  for (let i = n - 1; i >= 0; i--) {
    const e = expansion[i] as number;
    if (e !== 0) return e > 0 ? 1 : -1;
  }
  return 0;
}
