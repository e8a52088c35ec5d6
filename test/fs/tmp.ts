/** A temp directory per test file, removed at exit. */
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory (removed when the process exits). */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `kyoto-${prefix}-`));
  process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Open descriptors of this process (Linux), to prove none leaked. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}
