/**
 * The password policy (AUTH-6), one source of truth for the server, which
 * enforces it, and the renderer, which explains it while an admin types.
 * Strength is estimated by zxcvbn-ts with its common and English
 * dictionaries, told the user name and display name so that passwords built
 * from them count as weak.
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1000;
/** zxcvbn score (0 to 4) a password needs: 3 is "safely unguessable" for an online attack with throttling. */
export const MIN_PASSWORD_SCORE = 3;
/**
 * NOTE: the estimate reads this many characters, and at most 10 l33t substitutions. Its matchers grow
 * fast with length: a 300-character password took the default settings (256, 100) about 20 s of CPU,
 * which would stall the server and the form. 40 characters are plenty to tell a weak start.
 */
const ESTIMATED_LENGTH = 40;
const MAX_L33T_SUBSTITUTIONS = 10;
/**
 * NOTE: zxcvbn guesses emoji and symbols as if each UTF-16 unit were a random pick (ten emoji rate 4 of
 * 4), but people take them from the first rows of a picker. A password needs a letter or digit (any script).
 */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const ONLY_SYMBOLS =
  'This password is too easy to guess. Emoji and symbols alone are picked from a short list: add a few uncommon words.';

/** Whose password it is: what an attacker would try first. */
export interface PasswordOwner {
  username: string;
  name?: string | undefined;
}

export interface PasswordAssessment {
  /** Why the password is refused, with how to make it stronger; null when it passes. */
  problem: string | null;
  /** zxcvbn's 0..4, or 0 when a rule refused it before the estimate (emoji and symbols alone: refused after it). */
  score: number;
}

/**
 * How the estimator is built, wherever it runs: in this process (the renderer) or in the
 * server's estimator thread (server/auth/password-estimator.ts), which builds its own from these.
 */
export const ESTIMATOR_SETTINGS = {
  maxLength: ESTIMATED_LENGTH,
  l33tMaxSubstitutions: MAX_L33T_SUBSTITUTIONS,
  userInputsWarning: 'It contains the user name or display name.',
} as const;

/** zxcvbn's verdict on a password, the part the policy reads. */
export interface StrengthEstimate {
  score: number;
  feedback: { warning: string | null; suggestions: string[] };
}

/** Estimates a password's strength; `userInputs` are words an attacker would try first. */
export type EstimateStrength = (password: string, userInputs: string[]) => Promise<StrengthEstimate>;

let estimator: Promise<ZxcvbnFactory> | null = null;

/**
 * NOTE: the dictionaries are about 1.5 MB of JavaScript; they load on the first
 * check, once per process (a separate chunk in the renderer).
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([core, common, en]) => {
    const warnings = { ...en.translations.warnings, userInputs: ESTIMATOR_SETTINGS.userInputsWarning };
    return new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: { ...en.translations, warnings },
      maxLength: ESTIMATOR_SETTINGS.maxLength,
      l33tMaxSubstitutions: ESTIMATOR_SETTINGS.l33tMaxSubstitutions,
    });
  });
  return estimator;
}

const estimateInProcess: EstimateStrength = async (password, userInputs) =>
  (await loadEstimator()).check(password, userInputs);

/** Rules that need no dictionary; the estimate only runs when these pass. */
function ruleProblem(password: string, owner: PasswordOwner): string | null {
  if (password.trim() === '') return 'The password cannot be blank or only spaces.';
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (password.trim().toLowerCase() === owner.username.trim().toLowerCase()) {
    return 'The password must not be the user name.';
  }
  return null;
}

/**
 * Checks `password` against the policy; the problem names what is wrong and how to make it stronger.
 * `estimate` runs zxcvbn: in this process unless the caller keeps the dictionaries elsewhere (the server).
 */
export async function assessPassword(
  password: string,
  owner: PasswordOwner,
  estimate: EstimateStrength = estimateInProcess,
): Promise<PasswordAssessment> {
  const problem = ruleProblem(password, owner);
  if (problem) return { problem, score: 0 };
  const userInputs = [owner.username, ...(owner.name ? [owner.name, ...owner.name.split(/\s+/)] : [])].filter(Boolean);
  const { score, feedback } = await estimate(password, userInputs);
  if (score >= MIN_PASSWORD_SCORE) return { problem: LETTER_OR_DIGIT.test(password) ? null : ONLY_SYMBOLS, score };
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean);
  if (advice.length === 0) advice.push('Add more words that are less common.');
  return { problem: `This password is too easy to guess. ${advice.join(' ')}`, score };
}
