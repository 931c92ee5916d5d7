import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id: the package's enum is `const` and not exported at runtime. */
const ARGON2ID = 2;
import { AppError } from '../../shared/errors';
import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1000;

/** argon2id cost. Production defaults follow OWASP's minimum; tests may lower them through server options. */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_PASSWORD_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Throws VALIDATION with the reason when `password` does not meet the policy. */
export function checkPasswordPolicy(password: unknown, username: string): asserts password is string {
  const refuse = (message: string) => {
    throw new AppError('VALIDATION', message, [{ field: 'password', message }]);
  };
  if (typeof password !== 'string') return refuse('The password must be text.');
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    refuse(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    refuse(`The password must have at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    refuse('The password must not be the user name.');
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    refuse('This password is on a list of common passwords that attackers try first; choose another.');
  }
}

export function hashPassword(password: string, hashing: PasswordHashing): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...hashing });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
