/** Small phrases several screens say the same way. */
import { counted } from '../../../shared/readable';

// NOTE: the one pluralising helper lives in shared/readable, as the core words counts too.
export { counted };

/** "1 device", "2 devices". */
export function devices(count: number): string {
  return counted(count, 'device');
}

/** "Users 51–100 of 1,000" for a page of a longer list; `none` when the list is empty. */
export function pageRange(noun: string, first: number, shown: number, total: number, none: string): string {
  if (total === 0) return none;
  return `${noun} ${(first + 1).toLocaleString()}–${(first + shown).toLocaleString()} of ${total.toLocaleString()}`;
}
