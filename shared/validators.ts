import { z } from 'zod';

/**
 * Field validators shared by every entity schema. Each message is written for
 * the person filling in the form: it says what is wrong and what is expected.
 */

/**
 * The label a validator names its field by in its messages. NOTE: forms, history and exports read it
 * (`fieldLabel`), so a field's label and its errors have one source; a zod registry of our own, so the
 * label stays out of the derived JSON schemas.
 */
export const fieldLabels = z.registry<{ label: string }>();

export const MAX_NAME_LENGTH = 200;
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_ALIASES = 50;
/** A scaled photo (at most 512 px) as a data URL stays well under this. */
export const MAX_PHOTO_FILE_LENGTH = 1_000_000;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const DURATION = /^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})$/;

export function requiredName(label: string) {
  return z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, { error: `${label} is required.` })
    .max(MAX_NAME_LENGTH, { error: `${label} must be at most ${MAX_NAME_LENGTH} characters.` })
    .register(fieldLabels, { label });
}

export function optionalText(label: string, max = MAX_TEXT_LENGTH) {
  return z
    .string({ error: `${label} must be text.` })
    .max(max, { error: `${label} must be at most ${max} characters.` })
    .optional()
    .register(fieldLabels, { label });
}

export const aliases = z
  .array(
    z
      .string()
      .trim()
      .min(1, { error: 'An alias cannot be empty.' })
      .max(MAX_NAME_LENGTH, { error: `An alias must be at most ${MAX_NAME_LENGTH} characters.` }),
    { error: 'Aliases must be a list of names.' },
  )
  .max(MAX_ALIASES, { error: `At most ${MAX_ALIASES} aliases are allowed.` })
  .default([]);

export const youtubeId = z
  .string()
  .regex(YOUTUBE_ID, {
    error: 'YouTube id must be exactly 11 characters of letters, digits, "-" or "_" (e.g. dQw4w9WgXcQ).',
  })
  .optional();

/** HH:MM:SS or MM:SS; minutes and seconds below 60. */
export const duration = z
  .string()
  .max(12, { error: 'Duration must look like HH:MM:SS or MM:SS, for example 1:02:03 or 04:05.' })
  .superRefine((value, ctx) => {
    const match = DURATION.exec(value);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: 'Duration must look like HH:MM:SS or MM:SS, for example 1:02:03 or 04:05.',
      });
      return;
    }
    const [, hours, minutes, seconds] = match;
    const minutesTooBig = Number(minutes) >= 60;
    if (minutesTooBig || Number(seconds) >= 60) {
      ctx.addIssue({ code: 'custom', message: 'Minutes and seconds in a duration must be below 60.' });
    } else if (hours !== undefined && minutes!.length !== 2) {
      ctx.addIssue({ code: 'custom', message: 'In HH:MM:SS the minutes need two digits, for example 1:02:03.' });
    }
  })
  .optional();

export function isoDate(label: string) {
  return z
    .string()
    .max(10, { error: `${label} must be a date written as YYYY-MM-DD.`, abort: true })
    .regex(ISO_DATE, { error: `${label} must be a date written as YYYY-MM-DD.`, abort: true })
    .refine((value) => isRealDate(value), { error: `${label} is not a real calendar date.` })
    .optional()
    .register(fieldLabels, { label });
}

/** Days in each month of a common year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a date written as YYYY-MM-DD (ISO_DATE) names a day of the Gregorian calendar. NOTE: by arithmetic
 * rather than a Date's parse and print, which cost ten times more: every pulled video and trip is checked.
 */
function isRealDate(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leapYear ? 29 : DAYS_IN_MONTH[month - 1]!);
}

export const EARLIEST_BIRTH_YEAR = 1950;

export const birthYear = z
  .number({ error: 'Birth year must be a number.' })
  .int({ error: 'Birth year must be a whole number.', abort: true })
  .min(EARLIEST_BIRTH_YEAR, { error: `Birth year cannot be before ${EARLIEST_BIRTH_YEAR}.` })
  // A fixed bound keeps the derived storage schema stable; the refine below is the real limit.
  .max(2999, { error: 'Birth year cannot be in the future.' })
  .refine((year) => year <= new Date().getUTCFullYear(), { error: 'Birth year cannot be in the future.' })
  .optional();

export const httpUrl = z
  .string()
  .max(2048, { error: 'The photo URL must be at most 2048 characters.' })
  .refine(isHttpUrl, { error: 'The photo URL must start with http:// or https://.' })
  .optional();

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const photoFile = z
  .string()
  .max(MAX_PHOTO_FILE_LENGTH, { error: 'The photo is too large; pick a smaller image.' })
  .regex(/^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/, {
    error: 'The photo must be an image (PNG, JPEG, WebP or GIF).',
  })
  .optional();

export const positiveInt = (label: string) =>
  z
    .number({ error: `${label} must be a number.` })
    .int({ error: `${label} must be a whole number.` })
    .positive({ error: `${label} must be 1 or more.` })
    .optional()
    .register(fieldLabels, { label });

/** Ids of referenced documents (UUID v7, as every entity id). */
export const entityId = z.uuid({ error: 'Must be a valid id.' });

export const referenceList = (label: string) =>
  z
    .array(entityId, { error: `${label} must be a list of ids.` })
    .max(500, { error: `${label} can hold at most 500 entries.` })
    .default([]);
