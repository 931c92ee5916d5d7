/**
 * Stands in for the types of server-side packages in the renderer typecheck (tsconfig.web.json maps them
 * here). Their real types carry `/// <reference types="node" />`, which would pull all of @types/node into
 * the renderer: a renderer file could then import `node:fs` and typecheck. They reach the renderer only
 * through declarations it never uses at run time: `ws` through @trpc/client's wsLink (the renderer opens
 * the browser's WebSocket), `better-sqlite3` and `better-sqlite3-multiple-ciphers` (the local store's since
 * issue 14) through the core's storage types in out/api-types.
 * tests/toolchain/renderer-boundary.test.ts fails when another road appears; map that package here too.
 */
declare const serverOnly: never;
export default serverOnly;
