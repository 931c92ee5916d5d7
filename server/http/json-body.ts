import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors';
import { unstorableText } from '../store';

/** No Curio request nests this deep; a conflict record's snapshot inside a push row is about 7 levels. */
export const MAX_JSON_DEPTH = 64;

/** Where `key` sits under `path`, as a field path the refusal can name. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Parses a JSON request body (PROTO-5): valid JSON, nested at most
 * MAX_JSON_DEPTH levels (deeper values would overflow the stack of every
 * recursive reader after this one, JSON.stringify included), and without
 * `__proto__` or `constructor.prototype` keys, which would alter objects
 * that code copies the value into.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError('VALIDATION', 'The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', 'The request body is not valid JSON.');
  }
  checkStructure(value);
  return value;
}

/** A key the walk refuses in an object (`underConstructor`: the object sits under a `constructor` key). */
function isForbiddenKey(key: string, underConstructor: boolean): boolean {
  return key === '__proto__' || (underConstructor && key === 'prototype');
}

// NOTE: iterative on purpose: JSON.parse takes any depth, a recursive walk would not. It runs on every
// push, so the values, their depths and whether they sit under a `constructor` key are three parallel
// stacks (no object per visit), and the field path is found only for a refusal (pathTo).
function checkStructure(root: unknown): void {
  if (typeof root !== 'object' || root === null) return;
  const values: object[] = [root];
  const depths: number[] = [0];
  const underConstructor: boolean[] = [false];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    const inConstructor = underConstructor.pop()!;
    if (depth >= MAX_JSON_DEPTH) {
      throw new AppError(
        'VALIDATION',
        `The request body nests deeper than ${MAX_JSON_DEPTH} levels (at ${pathTo(root, value)}); Curio documents never do.`,
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index += 1) {
        const entry: unknown = value[index];
        if (typeof entry === 'object' && entry !== null) {
          values.push(entry);
          depths.push(depth + 1);
          underConstructor.push(false);
        }
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index]!;
      if (isForbiddenKey(key, inConstructor)) {
        const path = child(pathTo(root, value), key).slice(0, 200);
        throw new AppError(
          'VALIDATION',
          `The request body has a "${path}" key, which the server refuses (it can alter objects in JavaScript); rename the field.`,
        );
      }
      const entry = record[key];
      if (typeof entry === 'object' && entry !== null) {
        values.push(entry);
        depths.push(depth + 1);
        underConstructor.push(key === 'constructor');
      }
    }
  }
}

/**
 * The field path of `target` inside `root`, for a refusal (JSON.parse builds a
 * tree, so each object has one path). Iterative too: the target may sit at the depth limit.
 */
function pathTo(root: object, target: object): string {
  const values: object[] = [root];
  const paths: string[] = [''];
  while (values.length > 0) {
    const value = values.pop()!;
    const path = paths.pop()!;
    if (value === target) return path.slice(0, 200);
    const isArray = Array.isArray(value);
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry === 'object' && entry !== null) {
        values.push(entry as object);
        paths.push(child(path, isArray ? Number(key) : key));
      }
    }
  }
  return '';
}

/** The first text in `value` that cannot be stored (PROTO-5), with its path. */
function findUnstorable(value: unknown, path: string): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem ? { path, problem } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [key, entry] of entries) {
    const keyProblem = typeof key === 'string' ? unstorableText(key) : null;
    const where = child(path, key);
    if (keyProblem) return { path: where, problem: `has a name that ${keyProblem}` };
    const found = findUnstorable(entry, where);
    if (found) return found;
  }
  return null;
}

function refuseUnstorable(request: FastifyRequest): void {
  const parts: [string, unknown][] = [
    ['address part', request.params],
    ['query parameter', request.query],
  ];
  // Pushed documents are stored as JSON, which keeps any text; their ids are checked by the push schema.
  if (!request.routeOptions.url?.startsWith('/v1/sync/')) parts.push(['field', request.body]);
  for (const [what, value] of parts) {
    const found = findUnstorable(value, '');
    if (found) {
      throw new AppError(
        'VALIDATION',
        `The ${what} "${found.path.slice(0, 100)}" ${found.problem}; the server does not store such text.`,
      );
    }
  }
}

/** Installs the JSON body parser and the check of stored text for every route (PROTO-5). */
export function installJsonBody(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('preValidation', async (request) => refuseUnstorable(request));
}
