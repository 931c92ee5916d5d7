import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface RunningStart {
  /** The address `npm start` printed, with the profile's secret in the fragment. */
  url: string;
  port: number;
  /** Stops it as Ctrl+C would (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * Runs `npm start` in browser mode (scripts/start.ts) on a profile folder, as a
 * person would, and resolves with the address it prints. `port: 0` picks a free
 * one; `newAddress` passes `--new-address`.
 */
export async function npmStart(
  dataDir: string,
  options: { port: number; newAddress?: boolean },
): Promise<RunningStart> {
  const args = [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'];
  if (options.newAddress) args.push('--new-address');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, CURIO_BROWSER: '1', PORT: String(options.port), CURIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((found, fail) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) found(match[0]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`npm start exited with ${code}: ${output}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
