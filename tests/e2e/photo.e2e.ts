import { deflateSync } from 'node:zlib';
import { expect, openLibrary, test } from './fixtures';

/** A valid PNG of the given size, one flat colour, built by hand so the test needs no image files. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x7f)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('a photo file is scaled to at most 512 px and stored; a non-image is refused in words', async ({ page, app }) => {
  await page.goto(app.url);
  await openLibrary(page, 'Dogs');
  await page.getByRole('button', { name: /^New dog/ }).click();
  const form = page.getByRole('form', { name: 'dog form' });
  await form.getByLabel('Name', { exact: true }).fill('Pixel');
  await form
    .getByLabel('Photo file')
    .setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await expect(form.getByRole('alert')).toHaveText(/not a readable image/);
  await form.getByLabel('Photo file').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: png(1600, 900) });
  await expect(form.getByRole('img', { name: 'Current photo' })).toBeVisible();
  await form.getByRole('switch', { name: 'Show photo' }).uncheck();
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  const [dog] = (await app.caller.entities.list({ type: 'dog' })).items as {
    photoFile?: string;
    photoVisible?: boolean;
  }[];
  expect(dog?.photoVisible).toBe(false);
  expect(dog?.photoFile).toMatch(/^data:image\/jpeg;base64,/);
  // Decoded by the browser (the test side has no image decoder).
  const size = await page.evaluate(
    `(async () => { const image = new Image(); image.src = ${JSON.stringify(dog!.photoFile)}; await image.decode(); return [image.naturalWidth, image.naturalHeight]; })()`,
  );
  expect(size).toEqual([512, 288]);
});
