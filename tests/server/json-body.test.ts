import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonBody } from '../../server/http/json-body';

/** The refusal message of a body, or null when it parses. */
function refusalOf(text: string): string | null {
  try {
    parseJsonBody(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `levels` arrays nested inside one another around `inner`. */
const nested = (levels: number, inner = '0') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

describe('PROTO-5: the request body walk names the field it refuses', () => {
  it('PROTO-5: accepts a push at the depth limit and bodies whose only odd keys are array indexes or plain names', () => {
    // The root is level 0: the deepest `{}` below sits at level MAX_JSON_DEPTH - 1.
    expect(refusalOf(`{"rows":${nested(MAX_JSON_DEPTH - 2, '{}')}}`)).toBeNull();
    expect(refusalOf(`{"rows":${nested(MAX_JSON_DEPTH - 1, '{}')}}`)).toMatch(/deeper than/);
    expect(
      refusalOf('{"constructor":{"name":"x"},"prototype":{"a":1},"list":[{"constructor":[{"prototype":1}]}]}'),
    ).toBeNull();
  });

  it('PROTO-5: a body nested too deep is refused at the first value past the limit, with its path', () => {
    expect(refusalOf(`{"rows":[{"x":${nested(70)}}]}`)).toBe(
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels (at rows[0].x${'[0]'.repeat(61)}); Curio documents never do.`,
    );
  });

  it('PROTO-5: __proto__ anywhere and prototype under constructor are refused by their path', () => {
    expect(refusalOf('{"rows":[],"__proto__":{"polluted":true}}')).toMatch(/has a "__proto__" key/);
    expect(refusalOf('{"rows":[{"a":1},{"doc":{"__proto__":{}}}]}')).toMatch(/has a "rows\[1\]\.doc\.__proto__" key/);
    expect(refusalOf('{"a":{"constructor":{"prototype":{"x":1}}}}')).toMatch(/has a "a\.constructor\.prototype" key/);
  });

  it('PROTO-5: of two faults, the one the walk meets first is named (later siblings first)', () => {
    expect(refusalOf('{"a":{"__proto__":1},"b":{"__proto__":2}}')).toMatch(/"b\.__proto__"/);
    expect(refusalOf(`{"a":{"__proto__":1},"b":${nested(70)}}`)).toMatch(/deeper than .* \(at b(\[0\]){63}\)/);
  });
});
