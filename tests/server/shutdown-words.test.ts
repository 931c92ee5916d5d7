import { describe, expect, it } from 'vitest';
import { graceRanOutWords } from '../../server/http';

/** The stopping server's log line when the grace period (OPS-5) ran out reads right for one and many. */
describe('graceRanOutWords', () => {
  it('counts one connection in the singular and several in the plural', () => {
    expect(graceRanOutWords(2_000, 1)).toBe(
      'stopping: the shutdown grace of 2 s ran out; closed 1 connection still answering (clients retry or resume from their checkpoint)',
    );
    expect(graceRanOutWords(10_000, 3)).toContain('closed 3 connections still answering');
  });
});
