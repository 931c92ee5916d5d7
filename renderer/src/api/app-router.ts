/**
 * The API type of the core, for the renderer's tRPC client. It comes from the
 * declarations `npm run typecheck` emits (tsconfig.api.json), so the web
 * typecheck never compiles main/ with Node types.
 */
export type { AppRouter } from '../../../out/api-types/main/api/index';
