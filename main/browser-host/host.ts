import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AnyTRPCRouter, inferRouterContext } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { join } from 'node:path';
import { LAUNCH_CHECK_PATH, LAUNCH_TOKEN_HEADER } from '../../shared/browser-mode';
import { isAllowedHost, refuseUpgrade, tokenMatches } from './guards';
import { securityHeaders } from './security-headers';
import { send, serveStatic } from './static-files';

/** The part of an open core that browser mode needs: its router and the context to run it with. */
export interface HostedCore<TRouter extends AnyTRPCRouter = AnyTRPCRouter> {
  router: TRouter;
  context: inferRouterContext<TRouter>;
}

export interface BrowserHostOptions<TRouter extends AnyTRPCRouter> {
  core: HostedCore<TRouter>;
  /** 0 picks a free port. */
  port?: number;
  /** Only loopback makes sense: the guards accept 127.0.0.1 and localhost. */
  host?: '127.0.0.1';
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The launch secret: `npm start` passes the profile's (`profileLaunchToken`); a fresh random one otherwise. */
  token?: string;
  /**
   * Where the core writes exports (CSV, JSON, backups). Browser mode hands them to the
   * browser as downloads from here; defaults to `<dataDir>/exports` of a core context.
   */
  exportsDir?: string;
}

export interface BrowserHost {
  /** The address to open, with the launch token in the fragment (never sent to the server in requests). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The path the renderer opens its tRPC WebSocket on. */
export const TRPC_WS_PATH = '/trpc';
/** Exported files are downloaded from here: `/exports/<file name>?token=...`. */
export const EXPORTS_PATH = '/exports/';

function defaultExportsDir(context: unknown): string | undefined {
  const dataDir = (context as { dataDir?: unknown } | null)?.dataDir;
  return typeof dataDir === 'string' ? join(dataDir, 'exports') : undefined;
}

/**
 * Serves the built renderer and the core's tRPC router over a WebSocket on
 * 127.0.0.1, guarded by a secret launch token and Host and Origin checks.
 */
export async function startBrowserHost<TRouter extends AnyTRPCRouter>(
  options: BrowserHostOptions<TRouter>,
): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  let port = 0;
  let headers: Record<string, string> = {};
  const exportsDir = options.exportsDir ?? defaultExportsDir(options.core.context);

  const server = createServer((request, response) => {
    if (!isAllowedHost(request.headers.host, port)) return send(response, 403, 'Host not allowed', headers);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(response, 405, 'Method not allowed', headers);
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (url.pathname === LAUNCH_CHECK_PATH) {
      const given = request.headers[LAUNCH_TOKEN_HEADER];
      if (tokenMatches(typeof given === 'string' ? given : null, token)) return send(response, 204, '', headers);
      return send(response, 401, 'This page carries the secret of an earlier launch', headers);
    }
    if (url.pathname.startsWith(EXPORTS_PATH)) {
      // Exports hold catalog data: like the WebSocket, they need the launch token.
      if (!exportsDir || !tokenMatches(url.searchParams.get('token'), token)) {
        return send(response, 401, 'Missing or wrong token', headers);
      }
      const name = url.pathname.slice(EXPORTS_PATH.length);
      const download = { ...headers, 'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"` };
      serveStatic(exportsDir, `/${name}`, response, download, { fallback: false }).catch(() =>
        send(response, 500, 'Could not read the export', headers),
      );
      return;
    }
    serveStatic(options.rendererDir, request.url ?? '/', response, headers).catch(() =>
      send(response, 500, 'Could not read the renderer files', headers),
    );
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 * 1024 });
  const handler = applyWSSHandler({
    wss,
    router: options.core.router,
    createContext: () => options.core.context,
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const refusal =
      path === TRPC_WS_PATH
        ? refuseUpgrade(request.headers, request.url, { port, token })
        : { status: 403 as const, reason: 'Not found' };
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  headers = securityHeaders(port);

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    async close() {
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
