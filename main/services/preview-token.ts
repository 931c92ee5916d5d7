import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';

/**
 * A fingerprint of what a destructive action would do (ids, revisions,
 * categories), handed out with its preview. The action recomputes its plan
 * and goes ahead only if the fingerprint is the same, so a person never
 * confirms one set of changes and gets another.
 */
export function previewToken(plan: unknown): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('base64url');
}

/** Refuses (CONFLICT) when the data moved on since the preview the caller confirmed. */
export function assertPreviewCurrent(expected: string, actual: string, what: string): void {
  if (expected !== actual) {
    throw new AppError(
      'CONFLICT',
      `The catalog changed since the preview of ${what}, so nothing was done. Look at the new preview and confirm again.`,
    );
  }
}
