// Writes that a reader never sees half done: a run killed mid-write (Ctrl-C, CI timeout), or a second
// process reading while the first writes (two runs sharing the lab's parts.json), sees the old file or
// the new one, nothing in between. Used by the reports (results.json) and the lab (its records).
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** A temporary name beside `file` (same directory, so same filesystem, so the rename is atomic). */
export function tempSibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `contents` to `file` via a sibling temp file + rename. */
export async function writeFileAtomic(file: string, contents: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempSibling(file);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(contents, 'utf8');
      // Without the sync a power loss after rename can leave an empty file under the final name.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
