/** File helpers shared by every room of the main process. */
export { replaceFile, type ReplaceFileOptions } from './replace-file';
