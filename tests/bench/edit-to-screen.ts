/**
 * "Edit to the other screen" (issue 16): a real sync server on 127.0.0.1, two cores (A and B) each
 * with its own browser-mode host, and one browser context per core. B has the Videos list open and
 * the same video open in its editor; A edits that video's title and clicks Save. Each run times,
 * on the clock both pages share (`performance.timeOrigin + performance.now()`, one Chromium on one
 * machine), from the click on Save in A to the animation frame that paints the new title in B's
 * list and in B's editor (a MutationObserver sees the change, the next frame paints it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBrowserHost } from '../../main/browser-host';
import { openCore, type Core } from '../../main/core';
import { ENTITY_TYPES } from '../../shared/entities/registry';
import { countsForTotal, generateCatalog } from '../../shared/sample';
import { startServer } from '../../server';
import { openScreenNamed } from '../e2e/navigation';
import { ADA, EDDIE, type TeamPerson } from '../e2e/team-people';

export interface EditTimes {
  /** Save click in A to the frame showing the new title in B's list, per edit (ms). */
  list: number[];
  /** The same to B's open editor. */
  editor: number[];
}

// NOTE: in-page code is plain JavaScript text (see ui.bench.ts: tsx's __name helper is not in the page).

/** Arms, in B, a promise of the shared-clock times at which `value` is painted in the list and in the editor. */
function armOtherScreen(value: string): string {
  return `(() => {
  const value = ${JSON.stringify(value)};
  const now = () => performance.timeOrigin + performance.now();
  const times = {};
  window.benchEdit = new Promise((done) => {
    const inList = () =>
      [...document.querySelectorAll('[role="grid"][aria-label="Videos"] [role="gridcell"]')].some((c) => c.textContent === value);
    const inEditor = () => {
      const form = document.querySelector('form[aria-label="video form"]');
      const label = form && [...form.querySelectorAll('label')].find((l) => l.textContent.trim() === 'Title');
      return label ? document.getElementById(label.htmlFor)?.value === value : false;
    };
    const finish = () => {
      if (typeof times.list === 'number' && typeof times.editor === 'number') {
        observer.disconnect();
        done(times);
      }
    };
    // Seen in a mutation: the next frame paints it. Seen at a frame's start: this frame paints it.
    const see = (paintsNextFrame) => {
      for (const [where, shown] of [['list', inList], ['editor', inEditor]]) {
        if (times[where] !== undefined || !shown()) continue;
        if (paintsNextFrame) {
          times[where] = null;
          requestAnimationFrame(() => { times[where] = now(); finish(); });
        } else times[where] = now();
      }
      finish();
    };
    // A value never shown ends the run with what was seen (a missing time fails the benchmark).
    setTimeout(() => { observer.disconnect(); done({ ...times, timedOut: true }); }, 15000);
    const observer = new MutationObserver(() => see(true));
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    // An input's value is a property, not always an attribute: look at every frame too.
    const poll = () => {
      see(false);
      if (times.list === undefined || times.editor === undefined) requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
})()`;
}

/** Clicks Save in A's open editor; returns the click's time on the shared clock. */
const CLICK_SAVE = `(() => {
  const form = document.querySelector('form[aria-label="video form"]');
  const save = [...form.querySelectorAll('button')].find((b) => b.textContent.startsWith('Save'));
  const at = performance.timeOrigin + performance.now();
  save.click();
  return at;
})()`;

async function openVideo(page: Page, title: string): Promise<void> {
  await openScreenNamed(page, 'Videos');
  await page.getByRole('grid', { name: 'Videos' }).getByRole('row').filter({ hasText: title }).first().click();
  await page.getByRole('form', { name: 'video form' }).getByLabel('Title', { exact: true }).waitFor();
}

async function waitInSync(core: Core, what: string, timeoutMs = 600_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const status = await core.createCaller().sync.status();
    if (status.phase === 'in-sync' && status.pending === 0) return;
    if (Date.now() - started > timeoutMs) throw new Error(`Gave up waiting for ${what} (${status.phase}).`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Runs `edits` timed edits (after `warmup` untimed ones) over a catalog of `total` documents. */
export async function measureEditToOtherScreen(
  browser: Browser,
  options: { rendererDir: string; total: number; edits: number; warmup: number; debug?: boolean },
): Promise<EditTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'curio-ui-bench-edit-'));
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'server'),
    logLevel: 'silent',
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
  });
  const closers: (() => Promise<unknown>)[] = [() => server.close()];
  try {
    await server.createUser(ADA);
    await server.createUser(EDDIE);
    const open = async (name: string, role: 'admin' | 'editor') => {
      const core = await openCore({
        dataDir: join(dir, name),
        actor: { id: `bench-${name}`, name, role },
        deviceName: `${name}'s browser`,
      });
      closers.unshift(() => core.close());
      const host = await startBrowserHost({ core, port: 0, rendererDir: options.rendererDir });
      closers.unshift(() => host.close());
      return { core, host };
    };
    const a = await open('ada', 'admin');
    const b = await open('eddie', 'editor');

    const started = performance.now();
    const catalog = generateCatalog(countsForTotal(options.total), 7);
    // A's own work before signing in (the server binds every actor it accepts to the pushing account).
    const ada = { id: 'bench-ada', name: 'ada' };
    for (const type of ENTITY_TYPES) {
      const documents = (catalog[type] as unknown as Record<string, unknown>[]).map((d) => ({
        ...d,
        createdBy: ada,
        updatedBy: ada,
      }));
      for (let i = 0; i < documents.length; i += 2000)
        await a.core.context.database.entities[type].bulkInsert(documents.slice(i, i + 2000));
    }
    const signIn = (core: Core, { username, password }: TeamPerson) =>
      core.createCaller().sync.signIn({ serverUrl: server.url, username, password });
    await signIn(a.core, ADA);
    await waitInSync(a.core, "A's catalog to reach the server");
    await signIn(b.core, EDDIE);
    await waitInSync(b.core, "B's first sync");
    console.log(
      `edit measure: ${options.total} documents on both cores in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // The video at the top of the default list (title, ascending) gets a title of its own first: the
    // generated catalog repeats titles, and the row must be found by its title and keep its place (first)
    // as each edit adds a suffix, or it would move below its twins, out of the painted rows.
    const [video] = (await a.core.createCaller().entities.list({ type: 'video', limit: 1 })).items as {
      id: string;
      rev: string;
    }[];
    const original = 'AAA edit measure';
    await a.core
      .createCaller()
      .entities.update({ type: 'video', id: video!.id, rev: video!.rev, fields: { title: original } });
    await waitInSync(a.core, 'the renamed video to reach the server');
    await waitInSync(b.core, 'the renamed video to reach B');
    const pageA = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const pageB = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    closers.unshift(
      () => pageA.context().close(),
      () => pageB.context().close(),
    );
    await pageA.goto(a.host.url);
    await pageB.goto(b.host.url);
    await openVideo(pageA, original);
    await openVideo(pageB, original);

    const times: EditTimes = { list: [], editor: [] };
    const formA = pageA.getByRole('form', { name: 'video form' });
    for (let run = 0; run < options.warmup + options.edits; run++) {
      // A suffix keeps the row where it was in a list sorted by title.
      const value = `${original} · ${run + 1}`;
      await formA.getByLabel('Title', { exact: true }).fill(value);
      await pageB.evaluate(armOtherScreen(value));
      const clickedAt = (await pageA.evaluate(CLICK_SAVE)) as number;
      const seen = (await pageB.evaluate('window.benchEdit')) as { list?: number; editor?: number; timedOut?: true };
      if (seen.timedOut || seen.list === undefined || seen.editor === undefined)
        throw new Error(`B did not show "${value}" within 15 s: ${JSON.stringify(seen)}`);
      await formA.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const list = seen.list - clickedAt;
      const editor = seen.editor - clickedAt;
      if (options.debug) console.log('edit', run, list.toFixed(1), editor.toFixed(1));
      if (run >= options.warmup) {
        times.list.push(list);
        times.editor.push(editor);
      }
      // Edits a person makes are seconds apart; let both sides settle (refetches, pushes) first.
      await waitInSync(a.core, 'A to settle');
      await waitInSync(b.core, 'B to settle');
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return times;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
