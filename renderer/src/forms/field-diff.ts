/** Values and audit changes in words live in `shared/readable`, used by screens and exports alike. */
export { describeValue, readableChanges, type ReadableChange } from '../../../shared/readable';
