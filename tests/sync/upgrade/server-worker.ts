/**
 * A sync server in its own process, so a test can run the server of another
 * schema version (with use-registry-v1.mjs) than its own, or kill it.
 */
import { startServer, type RunningServer } from '../../../server';

type Request = { id: number } & (
  | { op: 'start'; dataDir: string; databaseUrl?: string; port: number }
  | { op: 'createUser'; username: string; name: string; password: string; role: 'viewer' | 'editor' | 'admin' }
  | { op: 'close' }
);

let server: RunningServer | null = null;

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'start':
      server = await startServer({
        host: '127.0.0.1',
        port: request.port,
        dataDir: request.dataDir,
        databaseUrl: request.databaseUrl,
        logLevel: 'silent',
        heartbeatMs: 1000,
        passwordHashing: { memoryCost: 1024, timeCost: 1 },
        loginRateLimit: { max: 100_000, windowSeconds: 60 },
      });
      return { url: server.url, port: server.port };
    case 'createUser': {
      const { username, name, password, role } = request;
      const user = await server!.createUser({ username, name, password, role });
      return { id: user.id, username: user.username, name: user.name };
    }
    case 'close':
      await server?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (value) => process.send?.({ id: request.id, ok: true, value }),
    (error: unknown) => process.send?.({ id: request.id, ok: false, message: String((error as Error).message) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
