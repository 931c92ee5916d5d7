import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOnlyChanges } from '../../main/recovery/carry-over';
import { quoteIdentifier } from '../../main/storage';
import { unlinkBeforeDrop } from '../../main/storage/assumed-masters';
import { openConnection } from '../../main/storage/encryption';
import {
  eventually,
  inSync,
  openTestClient,
  seedCatalog,
  startTestServer,
  type TestClient,
  type TestServer,
} from './harness';

/*
 * A catch-up's meta rows left out (main/storage/assumed-masters.ts, docs/decisions.md "A catch-up's meta rows
 * left out"): a pulled document's first meta row is said in full by the stored document and RxDB's pull mark,
 * so an initial sync writes none; it is put back before the stored row changes, and every reader puts it
 * back meanwhile.
 */

let server: TestServer;
let alice: TestClient;
let bob: TestClient;

/** Documents alice puts on the server before bob's first sync: 1,120 videos, two pages (of 1,000). */
const SEEDED = 1600;

beforeAll(async () => {
  server = await startTestServer();
  await server.addUser('alice', 'editor', 'Alice');
  await server.addUser('bob', 'editor', 'Bob');
  await seedCatalog(server, 'alice', SEEDED);
  [alice, bob] = await Promise.all([openTestClient(server), openTestClient(server)]);
  await Promise.all([alice.signIn('alice'), bob.signIn('bob')]);
  await Promise.all([inSync(alice), inSync(bob)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([alice, bob].map((client) => client?.dispose()));
  await server?.close();
});

function catalogFile(client: TestClient): string {
  const file = readdirSync(client.dataDir).find((name) => /\.curio\.sqlite$/.test(name) && !name.includes('-local'));
  return join(client.dataDir, file!);
}

interface VideoMeta {
  metaTable: string;
  entityTable: string;
  pullTag: number | null;
  leftOutRev: string | null;
  /** Live videos stored. */
  videos: number;
  /** Meta rows about a video (not checkpoints). */
  metaRows: number;
}

function videoMeta(file: string): VideoMeta {
  const db = openConnection(file, null, { readonly: true, fileMustExist: true });
  try {
    const link = db
      .prepare(
        "SELECT meta_table, entity_table, pull_tag, left_out_rev FROM curio_meta_links WHERE entity_table LIKE 'c_video_v%'",
      )
      .get() as { meta_table: string; entity_table: string; pull_tag: number | null; left_out_rev: string | null };
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      metaTable: link.meta_table,
      entityTable: link.entity_table,
      pullTag: link.pull_tag,
      leftOutRev: link.left_out_rev,
      videos: count(`SELECT count(*) FROM ${quoteIdentifier(link.entity_table)} WHERE deleted = 0`),
      metaRows: count(`SELECT count(*) FROM ${quoteIdentifier(link.meta_table)} WHERE id LIKE '%|0'`),
    };
  } finally {
    db.close();
  }
}

/** The meta row of video `id` as the file holds it (undefined: none). */
function metaRow(file: string, id: string): { data: string; base_rev: string | null; ix0: unknown } | undefined {
  const { metaTable } = videoMeta(file);
  const db = openConnection(file, null, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT data, base_rev, ix0 FROM ${quoteIdentifier(metaTable)} WHERE id = ?`).get(`${id}|0`) as
      { data: string; base_rev: string | null; ix0: unknown } | undefined;
  } finally {
    db.close();
  }
}

describe("a catch-up's meta rows left out", () => {
  it('an initial sync writes no meta row of the videos it pulls, and records how to tell them', () => {
    const meta = videoMeta(catalogFile(bob));
    expect(meta.videos).toBe(Math.round(SEEDED * 0.7));
    expect(meta.metaRows).toBe(0);
    expect(meta.pullTag).toEqual(expect.any(Number));
    expect(meta.leftOutRev).toMatch(/^1-/);
  });

  it('CLIENT-2: the first local edit puts the pulled version back, and the merge takes it as its base', async () => {
    const first = (await bob.call('entities.list', { type: 'video', limit: 1 })).items[0] as { id: string };
    const pulled = await bob.call('entities.get', { type: 'video', id: first.id });
    expect(metaRow(catalogFile(bob), pulled.id)).toBeUndefined();

    await bob.proxy.setOnline(false);
    await eventually(() => expect(bob.status?.phase).toBe('offline'));
    await bob.call('entities.update', {
      type: 'video',
      id: pulled.id,
      rev: pulled.rev,
      fields: { title: 'Bob’s title' },
    });

    // The stored row changed: its trigger wrote the pulled version as the meta row, a copy.
    const kept = metaRow(catalogFile(bob), pulled.id)!;
    expect(kept.base_rev).toBeNull();
    const base = (JSON.parse(kept.data) as { docData: Record<string, unknown>; _rev: string }).docData;
    expect(base).toMatchObject({ id: pulled.id, rev: pulled.rev, title: pulled.title });
    expect((JSON.parse(kept.data) as { _rev: string })._rev).toBe(videoMeta(catalogFile(bob)).leftOutRev);

    // A teammate changes another field meanwhile.
    await alice.call('entities.update', {
      type: 'video',
      id: pulled.id,
      rev: pulled.rev,
      fields: { description: 'Alice’s description' },
    });
    await bob.proxy.setOnline(true);
    await eventually(() => expect(bob.status).toMatchObject({ phase: 'in-sync', pending: 0 }));

    // Against the pulled version, each side's change survives; without a base, the server's would win.
    await eventually(async () =>
      expect(await bob.call('entities.get', { type: 'video', id: pulled.id })).toMatchObject({
        title: 'Bob’s title',
        description: 'Alice’s description',
      }),
    );
    await eventually(async () =>
      expect(await alice.call('entities.get', { type: 'video', id: pulled.id })).toMatchObject({
        title: 'Bob’s title',
        description: 'Alice’s description',
      }),
    );
  });

  it('a damaged file read back finds the server version of every left-out row: nothing taken for a local change', async () => {
    // Read as a recovery reads it, from the file: the replication rows of bob's last push and pull commit with
    // their batch, within a second (main/storage/replica-batch.ts), so the read waits for them.
    await eventually(() => {
      const { changes } = localOnlyChanges(catalogFile(bob), null);
      expect(changes.filter((change) => change.type === 'video')).toEqual([]);
    });
  });

  it("dropping the videos' table first puts every left-out row back, each holding its stored document", () => {
    // The file as it stands (its WAL holds the newest pages).
    const copy = join(bob.dataDir, 'dropped-copy.sqlite');
    copyFileSync(catalogFile(bob), copy);
    copyFileSync(`${catalogFile(bob)}-wal`, `${copy}-wal`);
    const before = videoMeta(copy);
    const db = openConnection(copy, null, { fileMustExist: true });
    try {
      const stored = db
        .prepare(`SELECT id, data FROM ${quoteIdentifier(before.entityTable)} WHERE deleted = 0 ORDER BY id LIMIT 1`)
        .get() as { id: string; data: string };
      db.transaction(() => unlinkBeforeDrop(db, before.entityTable))();
      const meta = db
        .prepare(`SELECT data FROM ${quoteIdentifier(before.metaTable)} WHERE id = ?`)
        .pluck()
        .get(`${stored.id}|0`) as string;
      const { _meta, _rev, _attachments, ...own } = JSON.parse(stored.data) as Record<string, unknown>;
      void _meta;
      void _rev;
      void _attachments;
      expect((JSON.parse(meta) as { docData: unknown }).docData).toEqual(own);
      const metaRows = db
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(before.metaTable)} WHERE id LIKE '%|0'`)
        .pluck()
        .get() as number;
      // Every live video has its meta row again: the one the edit above put back, and the others now.
      expect(metaRows).toBe(before.videos);
    } finally {
      db.close();
    }
  });
});
