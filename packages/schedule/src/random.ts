/**
 * Deterministic pseudo-random numbers in [0, 1) from a string: the same seed always yields the same sequence.
 * The seed is hashed with xmur3 into four words that seed an sfc32 generator.
 */
export function seededRandom(seed: string): () => number {
  const hash = xmur3(seed);
  return sfc32(hash(), hash(), hash(), hash());
}

/** A generator nobody chose the seed of, for callers who want a different answer every time. */
export function unseededRandom(): () => number {
  const word = () => (Math.random() * 4294967296) >>> 0;
  return sfc32(word(), word(), word(), word());
}

/** The sfc32 generator from four 32-bit words of state. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** xmur3 string hash: each call returns the next 32-bit word derived from the string. */
function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}
