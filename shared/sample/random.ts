/** A small seeded PRNG (mulberry32): the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID v7 whose time part is `time` and whose random bits come from `random`. */
export function uuidV7From(time: number, random: () => number): string {
  const hex = (value: number, length: number) => Math.floor(value).toString(16).padStart(length, '0');
  const timeHex = hex(time, 12);
  const rand = (length: number) => Array.from({ length }, () => hex(random() * 16, 1)).join('');
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8, 12)}-7${rand(3)}-${variant}${rand(3)}-${rand(12)}`;
}
