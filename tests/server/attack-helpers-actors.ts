import { expect } from 'vitest';
import type { Api } from './helpers';

/** Pushes one row and returns what the server said about it: `written`, `conflict`, or the refusal. */
export async function pushOne(
  api: Api,
  collection: string,
  row: { assumedMasterState: unknown; newDocumentState: unknown },
): Promise<'written' | 'conflict' | { id: string; code: string; reason: string; fields?: string[] }> {
  const response = await api.push(collection, [row]);
  if (response.status !== 200) throw new Error(`push answered ${response.status}: ${response.text}`);
  if (response.body.refused.length > 0) return response.body.refused[0];
  return response.body.conflicts.length > 0 ? 'conflict' : 'written';
}

/** The refusal `pushOne` returns for an actor field bound to the pusher (ACTOR-*). */
export function refusedAt(field: string): unknown {
  return { id: expect.any(String), code: 'FORBIDDEN', reason: expect.any(String), fields: [field] };
}
