import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinaryPath, electronPackageDir } from './electron-binary';
import type { ElectronInstaller, StepOutcome } from './start-mode';

/** A blocked network can leave a download hanging; after this long `npm start` opens browser mode instead. */
const FETCH_TIMEOUT_MS = 10 * 60_000;
const PROGRESS_EVERY_MS = 2_000;

/** The installed `electron` package: its binary, and its own installer to fetch that binary. */
export function electronInstaller(projectDir: string): ElectronInstaller {
  return {
    binaryPath: () => electronBinaryPath(projectDir),
    fetch(progress) {
      const packageDir = electronPackageDir(projectDir);
      if (!packageDir) return Promise.resolve({ ok: false, reason: 'the electron package is not installed (npm ci)' });
      return runInstaller(packageDir, progress);
    },
  };
}

function runInstaller(packageDir: string, progress: (line: string) => void): Promise<StepOutcome> {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const what = `Downloading Electron ${version} for ${process.platform}-${process.arch} (once, with electron's installer)`;
  const started = Date.now();
  progress(`${what}…`);
  const ticker = setInterval(
    () => progress(`${what}… ${Math.round((Date.now() - started) / 1000)} s`),
    PROGRESS_EVERY_MS,
  );
  return new Promise<StepOutcome>((done) => {
    // The installer's stack trace is for electron's maintainers; the person gets its first line.
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: FETCH_TIMEOUT_MS,
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('error', (error) => finish({ ok: false, reason: error.message }));
    child.once('exit', (code, signal) => {
      if (code === 0) finish({ ok: true });
      else if (signal) finish({ ok: false, reason: `no answer within ${FETCH_TIMEOUT_MS / 60_000} minutes` });
      else finish({ ok: false, reason: installerFailure(errors, code) });
    });
    const finish = (outcome: StepOutcome) => {
      clearInterval(ticker);
      done(outcome);
    };
  });
}

/** The installer's error in one line, in words for a network problem (its own says only "fetch failed"). */
export function installerFailure(stderr: string, code: number | null): string {
  const first = stderr.split('\n').find((line) => line.trim() !== '') ?? `it exited with code ${code}`;
  const message = first.trim().replace(/^\w*Error:\s*/, '');
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/.test(message)) {
    return `no connection to Electron's download server (offline, or the network blocks it): ${message}`;
  }
  return message;
}
