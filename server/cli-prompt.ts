import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AppError } from '../shared/errors';

/**
 * Reads a password without echoing it on a terminal; from CURIO_PASSWORD or
 * the first line of stdin otherwise (scripts, CI).
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    if (process.env.CURIO_PASSWORD) return process.env.CURIO_PASSWORD;
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new Error('No password given: pass --password, set CURIO_PASSWORD or type it on stdin.');
  }
  process.stderr.write(prompt);
  let muted = true;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const first = await new Promise<string>((resolve) => rl.question('', resolve));
  process.stderr.write('\nRepeat it: ');
  const second = await new Promise<string>((resolve) => rl.question('', resolve));
  muted = false;
  rl.close();
  process.stderr.write('\n');
  if (first !== second) throw new Error('The two passwords differ; nothing was changed.');
  return first;
}

/**
 * Asks for `word` before an action that cannot be undone; true when it was typed. Off a terminal (cron, a
 * script) nobody can answer, so the command must say `--yes` itself, after a look with --dry-run.
 */
export async function confirmByTyping(word: string, action: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new AppError(
      'VALIDATION',
      `This would ${action}, which cannot be undone, so it asks first. Run it in a terminal to answer, or add --yes to say so in a script.`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) =>
      rl.question(`Type ${word} to ${action} (anything else stops): `, resolve),
    );
    return answer.trim() === word;
  } finally {
    rl.close();
  }
}
