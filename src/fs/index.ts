/**
 * kyoto/fs: files and directories as cancellable kyoto futures and streams, Tokio's `tokio::fs`
 * in camelCase (see docs/fs.md for cancel safety and buffering).
 *
 * @example
 * ```ts
 * import { readToString, write, File } from 'kyoto/fs';
 * yield* write('greeting.txt', 'hello\n');
 * console.log(yield* readToString('greeting.txt'));
 * ```
 * @module
 */
export {
  read,
  readToString,
  write,
  copy,
  rename,
  removeFile,
  createDir,
  createDirAll,
  removeDir,
  removeDirAll,
  metadata,
  symlinkMetadata,
  readLink,
  canonicalize,
  hardLink,
  symlink,
  setPermissions,
  tryExists,
} from './helpers.js';
export type { PathLike } from './helpers.js';
export { Metadata, FileType } from './metadata.js';
export { File } from './file.js';
export type { SeekFrom } from './file.js';
export { OpenOptions } from './open_options.js';
export { readDir, ReadDir, DirEntry } from './dir.js';
export { watch, Watcher } from './watch.js';
export type { WatchEvent, WatchOptions } from './watch.js';
