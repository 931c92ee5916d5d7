import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { RequestOptions } from '../sync/http';

/** What the team calls need of the sync engine: an authorized request for the signed-in user. */
export interface ServerRequests {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
}

/**
 * One call to the server's team API, its answer checked against the shared
 * schema (shared/team). This is the boundary: past it the answer has the
 * schema's type, so the routers' outputs are typed and the renderer checks
 * nothing again.
 */
export async function serverCall<S extends z.ZodType>(
  sync: ServerRequests,
  schema: S,
  path: string,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const answer = await sync.request<unknown>(path, options);
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'INTERNAL',
    `The sync server answered ${path.split('?')[0]} in a form this app does not understand; ` +
      'is the server the same Curio version as the app?',
  );
}

/** A query string from the defined values only. */
export function queryString(values: Record<string, string | number | boolean | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export const encode = encodeURIComponent;
