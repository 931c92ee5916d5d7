import { defineConfig } from '@playwright/test';

/** Debian's Chromium; Playwright's own browser download is not available here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * The end-to-end tests drive browser mode: each test opens its own core in a temporary
 * folder and serves the built renderer (out/renderer, `npm run build:renderer`) on a free
 * port (see tests/e2e/fixtures.ts), so there is no shared web server here.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  // Tests run in Node: the Node project's settings, not the renderer's (which maps `ws` to type stubs).
  tsconfig: './tsconfig.node.json',
  testMatch: '**/*.e2e.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    screenshot: 'on',
    trace: 'retain-on-failure',
    viewport: { width: 1400, height: 900 },
  },
});
