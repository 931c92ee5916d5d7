import { describe, expect, it } from 'vitest';
import {
  CAPACITY_PER_TABLE,
  cacheDocument,
  cachedDocument,
  forgetTableDocuments,
  tableDocuments,
} from '../../main/storage/document-cache';
import type { DocData } from '../../main/storage/stored-document';

const doc = (id: string, rev = '1-a') => ({ id, _rev: rev }) as unknown as DocData;

describe('document cache', () => {
  it('keeps the newest documents of a table and a bounded number of them', () => {
    const key = 'cache-test|bounded';
    const documents = tableDocuments(key);
    const total = CAPACITY_PER_TABLE * 3 + 7;
    for (let i = 0; i < total; i++) cacheDocument(documents, `doc-${i}`, doc(`doc-${i}`));
    expect(documents.size).toBeGreaterThanOrEqual(CAPACITY_PER_TABLE);
    expect(documents.size).toBeLessThanOrEqual(CAPACITY_PER_TABLE * 1.25);
    // The last CAPACITY_PER_TABLE written are all there; the first ones are gone.
    for (let i = total - CAPACITY_PER_TABLE; i < total; i++) {
      expect(cachedDocument(documents, `doc-${i}`, '1-a')).toBeDefined();
    }
    expect(cachedDocument(documents, 'doc-0', '1-a')).toBeUndefined();
    forgetTableDocuments(key);
  });

  it('hands out a document only for the revision it was cached at', () => {
    const key = 'cache-test|revisions';
    const documents = tableDocuments(key);
    cacheDocument(documents, 'a', doc('a', '1-a'));
    expect(cachedDocument(documents, 'a', '1-a')).toEqual(doc('a', '1-a'));
    expect(cachedDocument(documents, 'a', '2-b')).toBeUndefined();
    cacheDocument(documents, 'a', doc('a', '2-b'));
    expect(cachedDocument(documents, 'a', '2-b')).toEqual(doc('a', '2-b'));
    forgetTableDocuments(key);
  });
});
