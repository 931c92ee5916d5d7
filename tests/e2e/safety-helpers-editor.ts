import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { expect, openLibrary, startApp, type RunningApp } from './fixtures';
import { createAdaAndEddie, FAST_SYNC, newPersonContext, signIn, startTeamServer } from './sync-fixtures';

export interface Person {
  app: RunningApp;
  page: Page;
}

/**
 * A real sync server and two people on two cores (Ada, admin; Eddie, editor),
 * each in their own browser context and signed in. `prepare` runs on each
 * context before its page opens. `close` tears all of it down.
 */
export async function startTwoPeople(
  browser: Browser,
  prepare: (context: BrowserContext, person: 'ada' | 'eddie') => Promise<void> = async () => {},
) {
  const { server, close: closeServer } = await startTeamServer();
  await createAdaAndEddie(server);
  const apps = [
    await startApp('Ada', { sync: { timing: FAST_SYNC } }),
    await startApp('Eddie', { sync: { timing: FAST_SYNC } }),
  ];
  const pages: Page[] = [];
  for (const [index, { app }] of apps.entries()) {
    const person = index === 0 ? 'ada' : 'eddie';
    const context = await newPersonContext(browser);
    await prepare(context, person);
    const page = await context.newPage();
    await page.goto(app.url);
    await signIn(page, server.url, person);
    pages.push(page);
  }
  return {
    ada: { app: apps[0]!.app, page: pages[0]! } satisfies Person,
    eddie: { app: apps[1]!.app, page: pages[1]! } satisfies Person,
    async close() {
      for (const page of pages) await page.context().close();
      for (const app of apps) await app.stop();
      await closeServer();
    },
  };
}

/** Opens one video's editor from the library, as a person would; returns the form. */
export async function openVideo(page: Page, title: string | RegExp): Promise<Locator> {
  await openLibrary(page, 'Videos');
  await page.getByRole('row', { name: title }).click();
  const form = page.getByRole('form', { name: 'video form' });
  await expect(form).toBeVisible();
  return form;
}

/** Saves the open form and waits for "Saved.". */
export async function saveForm(form: Locator): Promise<void> {
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
}

/** The title both cores hold for one video, once they agree. */
export async function convergedTitle(a: RunningApp, b: RunningApp, id: string, title: string): Promise<void> {
  for (const app of [a, b]) {
    await expect
      .poll(async () => ((await app.caller.entities.get({ type: 'video', id })) as { title: string }).title, {
        timeout: 20_000,
      })
      .toBe(title);
  }
}

/**
 * Holds back the live document stream (`entities.onDocument`, or the subscription at `path`) of every page
 * in `context` while frozen, so a test can make a save race a change the open form (or question) has not
 * seen yet. Everything else on the app's WebSocket passes.
 */
export async function liveDocumentValve(context: BrowserContext, path = 'entities.onDocument') {
  let frozen = false;
  const held: { send: () => void }[] = [];
  await context.routeWebSocket(/./, (page) => {
    const core = page.connectToServer();
    const documentStreams = new Set<unknown>();
    page.onMessage((message) => {
      for (const request of messagesOf(message)) {
        const params = request.params as { path?: string } | undefined;
        if (request.method === 'subscription' && params?.path === path) documentStreams.add(request.id);
      }
      core.send(message);
    });
    core.onMessage((message) => {
      const forDocument = messagesOf(message).some((m) => documentStreams.has(m.id));
      if (frozen && forDocument) held.push({ send: () => page.send(message) });
      else page.send(message);
    });
  });
  return {
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const message of held.splice(0)) message.send();
    },
  };
}

function messagesOf(message: string | Buffer): Record<string, unknown>[] {
  try {
    const parsed: unknown = JSON.parse(String(message));
    return (Array.isArray(parsed) ? parsed : [parsed]).filter((m) => typeof m === 'object' && m !== null);
  } catch {
    return [];
  }
}
