/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies in tests are checked by assertions, not types. */
import { Api, type Response } from './helpers';

/** Signs in as if from `address`: the servers in these tests trust X-Forwarded-For (`trustProxy: true`). */
export function signInFrom(url: string, address: string, username: string, password: string): Promise<Response> {
  return new Api(url).request(
    'POST',
    '/v1/auth/login',
    { username, password },
    { headers: { 'x-forwarded-for': address } },
  );
}

/** A pull with a session's access token, sent to the server at `url`. */
export function pullWith(url: string, accessToken: string): Promise<Response> {
  return new Api(url, accessToken).pull('dog', null, 10);
}

/**
 * What an attacker can compare between two sign-in answers: status, code,
 * message (the number of seconds to wait left out) and whether a wait is announced.
 */
export function refusalShape(response: Response): { status: number; code: any; message: string; waits: boolean } {
  return {
    status: response.status,
    code: response.body?.error?.code,
    message: String(response.body?.error?.message).replace(/\d+ s\b/g, 'N s'),
    waits: response.headers.has('retry-after'),
  };
}

/** The value of one counter series in a `/metrics` text (0 when absent). */
export async function counterValue(baseUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
