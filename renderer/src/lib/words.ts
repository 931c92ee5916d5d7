/** Small phrases several screens say the same way. */

/**
 * A count with its noun, singular for exactly one: "1 row", "3 rows", "1 audit entry", "2 audit entries".
 * `plural` for nouns that do not just add an "s". Every count shown in words goes through here.
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`;
}

/** "1 device", "2 devices". */
export function devices(count: number): string {
  return counted(count, 'device');
}

/** "Users 51–100 of 1,000" for a page of a longer list; `none` when the list is empty. */
export function pageRange(noun: string, first: number, shown: number, total: number, none: string): string {
  if (total === 0) return none;
  return `${noun} ${(first + 1).toLocaleString()}–${(first + shown).toLocaleString()} of ${total.toLocaleString()}`;
}
