import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../../shared/protocol';
import { PASSWORD } from '../harness';

const WORKER = fileURLToPath(new URL('./server-worker.ts', import.meta.url));
/** Node flags that make a process run the test-only v1 registry (see registry-v1.ts). */
export const V1_FLAGS = ['--import', fileURLToPath(new URL('./use-registry-v1.mjs', import.meta.url))];

export type SchemaGeneration = 'v0' | 'v1';

/** A real sync server of one schema generation in its own process, on SQLite in `dataDir` or on PostgreSQL. */
export class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  url = '';
  port = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; ok?: boolean; value?: unknown; message?: string }) => {
      const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id!);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.message));
    });
    child.on('exit', () => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error('The server process exited.'));
      this.waiting.clear();
    });
  }

  static async start(options: {
    generation: SchemaGeneration;
    dataDir: string;
    databaseUrl?: string;
    /** The port of the server this one replaces (an upgrade keeps the address); 0 for a free one. */
    port?: number;
  }): Promise<ServerProcess> {
    const flags = ['--import', 'tsx', ...(options.generation === 'v1' ? V1_FLAGS : [])];
    const child = fork(WORKER, [], { execArgv: flags, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`The server process exited with ${code} before it was ready.`)));
    });
    const server = new ServerProcess(child);
    const address = await server.request<{ url: string; port: number }>({
      op: 'start',
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      port: options.port ?? 0,
    });
    server.url = address.url;
    server.port = address.port;
    return server;
  }

  private request<T>(body: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...body, id });
    });
  }

  addUser(username: string, role: Role): Promise<{ id: string; username: string; name: string }> {
    return this.request({ op: 'createUser', username, name: username, password: PASSWORD, role });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ op: 'close' }).catch(() => undefined);
    await exited;
  }

  /** kill -9: no clean shutdown, as a crash or an operator's kill would leave it. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
