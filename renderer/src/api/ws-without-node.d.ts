/**
 * Stands in for the `ws` package's types in the renderer typecheck (tsconfig.web.json maps `ws` here).
 * @trpc/client's wsLink declarations import @trpc/server's WebSocket adapter, which imports `ws`, whose
 * types pull in all of @types/node: a renderer file could then import `node:fs` and typecheck. The
 * renderer only opens the browser's WebSocket, so the server-side `ws` types are never needed here.
 */
declare const ws: never;
export default ws;
