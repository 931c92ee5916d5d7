/**
 * One test client in its own process: a real core on the SQLite storage in
 * its own folder, with its replication client. Free RxDB allows 13 open
 * collections per process and a core has 8, so every client of a
 * multi-client test runs in a process of its own, driven over IPC.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { TRPCError } from '@trpc/server';
import { appErrorData } from '../../main/api/errors';
import { openCore, type Core } from '../../main/core';
import type { SqliteInternals } from '../../main/storage';
import type { SyncEngine } from '../../main/sync';
import { REPLICATED_COLLECTIONS } from '../../shared/protocol';
import type { MainThreadUse, WorkerRequest, WorkerResponse } from './client-process';

/** SQLite's own ceiling for `max_page_count`: no limit but the disk. */
const NO_PAGE_LIMIT = 4294967294;

const mainThreadDelay = monitorEventLoopDelay({ resolution: 10 });
mainThreadDelay.enable();
/** The event loop's running and idle time up to the last `mainThreadUse`, to take the next ask's share from. */
let mainThreadUse = performance.eventLoopUtilization();

let core: Core | null = null;
let sync: SyncEngine | null = null;

function send(message: WorkerResponse): void {
  process.send?.(message);
}

function errorShape(error: unknown) {
  const code =
    error instanceof TRPCError ? appErrorData(error).appCode : ((error as { code?: string } | null)?.code ?? null);
  return { message: error instanceof Error ? error.message : String(error), code };
}

async function snapshot() {
  const result: Record<string, Record<string, unknown>> = {};
  for (const name of REPLICATED_COLLECTIONS) {
    const collection =
      name === 'audit'
        ? core!.context.database.audit
        : name === 'conflicts'
          ? core!.context.database.conflicts
          : core!.context.database.entities[name];
    const documents = await collection.find().exec();
    result[name] = Object.fromEntries(documents.map((document) => [document.primary, document.toJSON()]));
  }
  return result;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      const offset = request.clockOffsetMs ?? 0;
      core = await openCore({
        dataDir: request.dataDir,
        actor: request.actor,
        deviceName: request.actor.name,
        sync: { timing: request.timing },
        ...(offset ? { now: () => new Date(Date.now() + offset) } : {}),
      });
      sync = core.context.sync;
      sync.status$.subscribe((status) => send({ event: 'status', status }));
      return null;
    }
    case 'call': {
      let target: unknown = core!.createCaller();
      for (const part of request.path) target = (target as Record<string, unknown>)[part];
      return await (target as (input: unknown) => Promise<unknown>)(request.input);
    }
    case 'signIn':
      return sync!.signIn(request.credentials);
    case 'signOut':
      return sync!.signOut();
    case 'status':
      return sync!.status;
    case 'awaitInSync':
      await sync!.awaitInSync();
      return sync!.status;
    case 'resync':
      sync!.resync();
      return null;
    case 'statusSubscription': {
      // The renderer's view: the tRPC subscription, read until the phase it waits for.
      const seen: string[] = [];
      for await (const status of await core!.createCaller().sync.onStatus()) {
        seen.push(status.phase);
        if (status.phase === request.until) break;
      }
      return seen;
    }
    case 'waitingSubscription': {
      const lengths: number[] = [];
      for await (const list of await core!.createCaller().sync.onWaiting()) {
        lengths.push(list.length);
        if (list.length === 0) break;
      }
      return lengths;
    }
    case 'pendingKeys':
      return sync!.pendingKeys();
    case 'snapshot':
      return snapshot();
    case 'watch': {
      const collection = core!.context.database.entities[request.collection];
      collection.$.subscribe((event) => {
        send({
          event: 'change',
          id: event.documentId,
          rev: (event.documentData as { rev?: string }).rev ?? '',
          at: performance.timeOrigin + performance.now(),
        });
      });
      return null;
    }
    case 'limitFileGrowth': {
      const { file } = core!.context.database.entities.video.storageInstance.internals as SqliteInternals;
      const pages = file.connection.pragma('page_count', { simple: true }) as number;
      file.connection.pragma(`max_page_count = ${request.pages === null ? NO_PAGE_LIMIT : pages + request.pages}`);
      return pages;
    }
    case 'gc':
      if (!global.gc) throw new Error('Start the client process with --expose-gc to force a garbage collection.');
      global.gc();
      return null;
    case 'mainThreadUse': {
      const use: MainThreadUse = {
        maxMs: mainThreadDelay.max / 1e6,
        p99Ms: mainThreadDelay.percentile(99) / 1e6,
        busyShare: performance.eventLoopUtilization(mainThreadUse).utilization,
      };
      mainThreadDelay.reset();
      mainThreadUse = performance.eventLoopUtilization();
      return use;
    }
    case 'makeDeferredIndexes': {
      const { file } = core!.context.database.entities.video.storageInstance.internals as SqliteInternals;
      await file.deferredIndexes.makeAll();
      return null;
    }
    case 'close':
      await core?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value: value === undefined ? null : value }),
    (error: unknown) => send({ id: request.id, ok: false, error: errorShape(error) }),
  );
});
// A test or benchmark that dies must not leave its clients running.
process.on('disconnect', () => process.exit(0));
send({ event: 'ready' });
