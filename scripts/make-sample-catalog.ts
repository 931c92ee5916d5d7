/**
 * Writes resources/sample-catalog.json: the small realistic catalog a new
 * profile or the demo can load. Deterministic, so re-running changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateCatalog, SAMPLE_CATALOG_COUNTS, SAMPLE_CATALOG_SEED } from '../shared/sample';

const target = resolve(import.meta.dirname, '../resources/sample-catalog.json');
writeFileSync(target, JSON.stringify(generateCatalog(SAMPLE_CATALOG_COUNTS, SAMPLE_CATALOG_SEED), null, 1) + '\n');
console.log(`Wrote ${target}`);
