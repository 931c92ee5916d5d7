import { z } from 'zod';
import { httpUrl, photoFile } from '../validators';

/** Photo fields shared by people and dogs: a URL or a picked file, and whether to show it. */
export const photoFields = {
  photoUrl: httpUrl,
  photoFile,
  photoVisible: z.boolean({ error: 'Photo visibility must be on or off.' }).default(true),
};
