// The lock file that names which process owns an embedded data dir and where it serves it.
// Portable (macOS has no abstract sockets, Node no flock): a file created atomically with link(),
// holding the owner's pid; a lock whose pid is dead is stale and removed under a second guard file,
// so two processes that both find it stale cannot both end up owners.
import { createHash } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwnerLock {
  pid: number;
  /** The Unix socket the owner serves the database on. */
  socket: string;
}

export const lockPath = (dataDir: string) => join(dataDir, 'erp-mcp.lock');

// sun_path holds 104 bytes on macOS and 108 on Linux, its terminating NUL included.
const MAX_SOCKET_PATH = 103;

/** Inside the data dir when the path fits, else in the temp dir under a name derived from the data dir. */
export function socketPathFor(dataDir: string): string {
  const inside = join(dataDir, 'erp-mcp.sock');
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  const fallback = join(tmpdir(), `erp-mcp-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}.sock`);
  if (Buffer.byteLength(fallback) > MAX_SOCKET_PATH) {
    throw new Error(`No socket path short enough for ${dataDir}: use a shorter ERP_DATA_DIR or TMPDIR`);
  }
  return fallback;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

/** Creates `path` with `text` as its whole content, or returns false if it exists (never half-written). */
async function createAtomically(path: string, text: string): Promise<boolean> {
  const draft = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(draft, text);
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parse(text: string | undefined): OwnerLock | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<OwnerLock>;
    return typeof value.pid === 'number' && typeof value.socket === 'string'
      ? { pid: value.pid, socket: value.socket }
      : undefined;
  } catch {
    return undefined;
  }
}

export async function tryTakeLock(dataDir: string, lock: OwnerLock): Promise<boolean> {
  return createAtomically(lockPath(dataDir), JSON.stringify(lock));
}

export async function readLock(dataDir: string): Promise<OwnerLock | undefined> {
  return parse(await readText(lockPath(dataDir)));
}

/**
 * Removes the lock if its owner is dead. The re-read under the guard makes sure the file removed
 * is still the stale one, not a lock another process has just taken in its place.
 */
export async function removeStaleLock(dataDir: string): Promise<void> {
  const path = lockPath(dataDir);
  const guard = `${path}.takeover`;
  if (!(await createAtomically(guard, String(process.pid)))) {
    // A guard left by a process killed within its few milliseconds of holding it.
    const holder = Number(await readText(guard));
    if (!isAlive(holder) && Date.now() - (await stat(guard).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > 2000) {
      await unlink(guard).catch(() => {});
    }
    return;
  }
  try {
    const text = await readText(path);
    const lock = parse(text);
    if (text !== undefined && (!lock || !isAlive(lock.pid))) await unlink(path).catch(() => {});
  } finally {
    await unlink(guard).catch(() => {});
  }
}

/** Removes the lock only if it is still this process's (a successor may hold it already). */
export async function releaseLock(dataDir: string): Promise<void> {
  if ((await readLock(dataDir))?.pid === process.pid) await unlink(lockPath(dataDir)).catch(() => {});
}
