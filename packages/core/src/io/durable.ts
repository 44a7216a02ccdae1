import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/** Writes `path` crash-safely: a temp file in the same directory, fsync, rename over `path`. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, path);
}

/** fsyncs a directory so renames inside it survive a power loss (no-op where unsupported). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directory fsync is unsupported on some platforms; the renames are still atomic.
  }
}
