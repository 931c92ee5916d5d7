/**
 * What the browser-mode host and the page it serves agree on, beyond tRPC.
 *
 * `LAUNCH_CHECK_PATH` answers 204 when the `LAUNCH_TOKEN_HEADER` header carries
 * the host's launch secret and 401 otherwise. A page whose WebSocket keeps
 * closing asks it to tell "the host is gone" (no answer) from "the host runs
 * again with a new secret" (401), and then asks for the new address.
 */
export const LAUNCH_CHECK_PATH = '/launch-check';
export const LAUNCH_TOKEN_HEADER = 'x-curio-token';
