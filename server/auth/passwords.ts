import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../shared/errors';
import { assessPassword, MIN_PASSWORD_LENGTH, type PasswordOwner } from '../../shared/password-policy';
import { estimateInThread } from './password-estimator';

/** Algorithm.Argon2id: the package's enum is `const` and not exported at runtime. */
const ARGON2ID = 2;

export { MIN_PASSWORD_LENGTH };

/** argon2id cost. Production defaults follow OWASP's minimum; tests may lower them through server options. */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const DEFAULT_PASSWORD_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Throws VALIDATION with the reason and how to do better when `password` does not meet the policy (AUTH-6). */
export async function checkPasswordPolicy(password: unknown, owner: PasswordOwner): Promise<string> {
  const refuse = (message: string): never => {
    throw new AppError('VALIDATION', message, [{ field: 'password', message }]);
  };
  if (typeof password !== 'string') return refuse('The password must be text.');
  const { problem } = await assessPassword(password, owner, estimateInThread);
  if (problem) refuse(problem);
  return password;
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
