/**
 * Bit sets over a run of quarter hours: bit i of a `Uint32Array` is word i >>> 5, bit i & 31.
 * Everything here works on whole words where it can, so a 28-day window (2,688 quarters) is 84 words.
 */
export type Bits = Uint32Array;

/** A bit set of `length` bits, all clear. */
export const bitsOf = (length: number): Bits => new Uint32Array((length + 31) >>> 5);

export const hasBit = (bits: Bits, i: number): boolean => ((bits[i >>> 5]! >>> (i & 31)) & 1) === 1;

export const setBit = (bits: Bits, i: number): void => {
  bits[i >>> 5]! |= 1 << (i & 31);
};

/** Sets bits [start, end). */
export function setRange(bits: Bits, start: number, end: number): void {
  for (let i = start; i < end; ) {
    const word = i >>> 5;
    const offset = i & 31;
    const count = Math.min(32 - offset, end - i);
    bits[word]! |= (count === 32 ? 0xffffffff : ((1 << count) - 1) << offset) >>> 0;
    i += count;
  }
}

/** Clears bits [start, end). */
export function clearRange(bits: Bits, start: number, end: number): void {
  for (let i = Math.max(0, start); i < end; ) {
    const word = i >>> 5;
    const offset = i & 31;
    const count = Math.min(32 - offset, end - i);
    bits[word]! &= ~(count === 32 ? 0xffffffff : ((1 << count) - 1) << offset);
    i += count;
  }
}

/** Whether every bit of [start, end) is set. */
export function allSet(bits: Bits, start: number, end: number): boolean {
  for (let i = start; i < end; ) {
    const word = i >>> 5;
    const offset = i & 31;
    const count = Math.min(32 - offset, end - i);
    const mask = (count === 32 ? 0xffffffff : ((1 << count) - 1) << offset) >>> 0;
    if ((bits[word]! & mask) >>> 0 !== mask) return false;
    i += count;
  }
  return true;
}

/** The 32 bits of `bits` from bit `start` on (bits outside the set read as clear; `start` may be negative). */
function read32(bits: Bits, start: number): number {
  const word = Math.floor(start / 32);
  const offset = start - word * 32;
  const low = word >= 0 && word < bits.length ? bits[word]! : 0;
  if (offset === 0) return low >>> 0;
  const high = word + 1 >= 0 && word + 1 < bits.length ? bits[word + 1]! : 0;
  return ((low >>> offset) | (high << (32 - offset))) >>> 0;
}

/**
 * Writes `count` bits of `source` from `from` on into `target` from `to` on: `and` keeps only the bits set
 * in both (the target's must be written first), otherwise the bits are OR-ed in.
 */
export function copyBits(source: Bits, from: number, target: Bits, to: number, count: number, and = false): void {
  for (let done = 0; done < count; ) {
    const i = to + done;
    const word = i >>> 5;
    const offset = i & 31;
    const n = Math.min(32 - offset, count - done);
    const mask = (n === 32 ? 0xffffffff : ((1 << n) - 1) << offset) >>> 0;
    const chunk = (read32(source, from + done) << offset) & mask;
    target[word] = and ? target[word]! & (chunk | ~mask) : target[word]! | chunk;
    done += n;
  }
}

/** The AND of all sets (of one length); no sets => an empty set of `length` bits. */
export function andAll(sets: readonly Bits[], length: number): Bits {
  const out = bitsOf(length);
  if (sets.length === 0) return out;
  out.set(sets[0]!);
  for (let s = 1; s < sets.length; s++) {
    const set = sets[s]!;
    for (let w = 0; w < out.length; w++) out[w]! &= set[w]!;
  }
  return out;
}

/** `bits` moved down by `shift`: bit i of the answer is bit i + shift of `bits`. */
function shiftedDown(bits: Bits, shift: number): Bits {
  const out = new Uint32Array(bits.length);
  for (let w = 0; w < out.length; w++) out[w] = read32(bits, w * 32 + shift);
  return out;
}

/**
 * Start positions of every run of `length` set bits: bit s of the answer is set when bits s..s+length-1 all
 * are. By doubling: after each step bit s covers `covered` bits, so 96 quarters take 7 steps, not 95.
 */
export function runStarts(bits: Bits, length: number): Bits {
  const starts: Bits = bits.slice();
  let covered = 1;
  while (covered < length) {
    const step = Math.min(covered, length - covered);
    const moved = shiftedDown(starts, step);
    for (let w = 0; w < starts.length; w++) starts[w]! &= moved[w]!;
    covered += step;
  }
  return starts;
}

/** Calls `visit` with the index of every set bit below `length`, ascending. */
export function forEachBit(bits: Bits, visit: (i: number) => void, length = bits.length * 32): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const lowest = word & -word;
      const i = w * 32 + 31 - Math.clz32(lowest);
      if (i >= length) return;
      visit(i);
      word ^= lowest;
    }
  }
}
