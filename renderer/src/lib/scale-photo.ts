import { MAX_PHOTO_FILE_LENGTH } from '../../../shared/validators';

/** The longest side of a stored photo, so a photo replicates like any small field. */
export const MAX_PHOTO_SIDE = 512;

/**
 * Reads a picked file as an image, scales it to at most 512 px and returns a JPEG
 * data URL. Anything that is not a readable image is refused with a message.
 */
export async function scalePhoto(file: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error('This file is not a readable image. Pick a PNG, JPEG, WebP or GIF picture.');
  }
  const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('The browser cannot draw images here; paste a photo URL instead.');
  // JPEG has no transparency; paint white first so transparent PNGs do not turn black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.5]) {
    const url = canvas.toDataURL('image/jpeg', quality);
    if (url.length <= MAX_PHOTO_FILE_LENGTH) return url;
  }
  throw new Error('The photo is still too large after scaling; pick a smaller image.');
}
