/**
 * The password strength estimate (AUTH-6) in a thread of its own.
 *
 * zxcvbn's dictionaries take about 25 MB of heap once loaded. In the server's
 * own heap they stayed for the life of the process after the first user was
 * created, and every major garbage collection marked them again: a cold
 * single-client push paid about 1 ms more CPU per 100-row request (issue 12).
 * The thread holds them only while passwords are being set, and ends when idle.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ESTIMATOR_SETTINGS, type EstimateStrength, type StrengthEstimate } from '../../shared/password-policy';

/** How long the thread outlives its last check: a burst of account changes loads the dictionaries once. */
const IDLE_MS = 30_000;

/**
 * NOTE: plain JavaScript evaluated by the thread, so it runs the same under tsx, vitest and the
 * bundled server (out/server/cli.js), none of which hands a worker file its TypeScript loader.
 * It builds the estimator as shared/password-policy.ts does for the renderer, from the same settings.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { modules, settings } = workerData;
const core = require(modules.core);
const common = require(modules.common);
const en = require(modules.en);
const zxcvbn = new core.ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: { ...en.translations, warnings: { ...en.translations.warnings, userInputs: settings.userInputsWarning } },
  maxLength: settings.maxLength,
  l33tMaxSubstitutions: settings.l33tMaxSubstitutions,
});
parentPort.on('message', ({ id, password, userInputs }) => {
  try {
    const { score, feedback } = zxcvbn.check(password, userInputs);
    parentPort.postMessage({ id, score, feedback: { warning: feedback.warning, suggestions: feedback.suggestions } });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Reply extends Partial<StrengthEstimate> {
  id: number;
  error?: string;
}

interface Pending {
  resolve: (estimate: StrengthEstimate) => void;
  reject: (error: Error) => void;
}

const resolveModule = createRequire(import.meta.url).resolve;

interface EstimatorThread {
  worker: Worker;
  /** Checks sent to this thread and not answered yet, by message id. */
  pending: Map<number, Pending>;
  idleTimer: NodeJS.Timeout | null;
}

let current: EstimatorThread | null = null;
let nextId = 0;

function startThread(): EstimatorThread {
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: {
      modules: {
        core: resolveModule('@zxcvbn-ts/core'),
        common: resolveModule('@zxcvbn-ts/language-common'),
        en: resolveModule('@zxcvbn-ts/language-en'),
      },
      settings: ESTIMATOR_SETTINGS,
    },
  });
  const thread: EstimatorThread = { worker, pending: new Map(), idleTimer: null };
  const stopped = (error: Error) => {
    if (current === thread) current = null;
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  };
  worker.on('message', ({ id, error, score, feedback }: Reply) => {
    const waiting = thread.pending.get(id);
    if (!waiting) return;
    thread.pending.delete(id);
    if (error !== undefined || score === undefined || !feedback) {
      waiting.reject(new Error(`The password strength estimate failed: ${error ?? 'no answer'}`));
    } else {
      waiting.resolve({ score, feedback });
    }
    if (thread.pending.size === 0) idle(thread);
  });
  worker.on('error', stopped);
  worker.on('exit', (code) => stopped(new Error(`The password strength estimator stopped (exit code ${code}).`)));
  return thread;
}

/** An idle thread does not keep the process alive, and ends after IDLE_MS. */
function idle(thread: EstimatorThread): void {
  thread.worker.unref();
  thread.idleTimer = setTimeout(() => {
    if (current === thread) current = null;
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idleTimer.unref();
}

/** zxcvbn's estimate, computed in the estimator thread (started on demand). */
export const estimateInThread: EstimateStrength = (password, userInputs) => {
  const thread = (current ??= startThread());
  if (thread.idleTimer) clearTimeout(thread.idleTimer);
  thread.idleTimer = null;
  thread.worker.ref();
  const id = nextId++;
  return new Promise<StrengthEstimate>((resolve, reject) => {
    thread.pending.set(id, { resolve, reject });
    thread.worker.postMessage({ id, password, userInputs });
  });
};
