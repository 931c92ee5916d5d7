// `node --import tsx --import ./use-registry-v1.mjs`: this process runs the test-only v1 registry.
import { register } from 'node:module';

register('./registry-hooks.mjs', import.meta.url);
