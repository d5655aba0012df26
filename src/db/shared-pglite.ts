// One embedded data dir shared by every erp-mcp process on it (stdio servers, the HTTP server, CLI
// commands). The first process to take the lock opens PGlite and serves it on a Unix socket; the
// others reach it through that socket, and when the owner is gone one of them takes the lock over
// and opens the same data dir (PGlite replays its WAL on open).
import { connect } from 'node:net';
import { unlink } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DomainError } from '../domain/shared/errors.js';
import { isConnectionLost } from './lost-connection.js';
import { isAlive, readLock, releaseLock, removeStaleLock, socketPathFor, tryTakeLock } from './owner-lock.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db, Row } from './types.js';

// Opening a data dir can take a while (first open runs initdb, ~6 s here; more on a busy machine).
const WAIT_FOR_OWNER_MS = 60_000;
const RETRY_MS = 100;

interface Link {
  client: Db;
  /** Set in the owner: stops serving and closes PGlite. */
  stopServing?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function canConnect(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket);
    probe.setTimeout(1000, () => probe.destroy());
    probe.once('connect', () => {
      probe.end();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
    probe.once('close', () => resolve(false));
  });
}

/** A lock handed over in arrival order: acquire() resolves to its release. */
function fifoLock(): () => Promise<() => void> {
  let tail = Promise.resolve();
  return () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = tail.then(() => release);
    tail = tail.then(() => released);
    return acquired;
  };
}

/**
 * PGlite has one backend. Its own transaction() does not hold the lock the socket's query queue
 * takes per message, so the owner's transactions and a guest's statements would interleave in it.
 * One lock arbitrates: the owner holds it for each of its calls (a whole transaction), the queue
 * from a guest's first message until the backend leaves the guest's transaction.
 */
function arbitrate(db: Db & { pglite: PGlite }): { owner: Db; queueView: PGlite } {
  const acquire = fifoLock();
  const held = async <T>(fn: () => Promise<T>) => {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  let guestHolds: (() => void) | undefined;
  const forGuest = async <T>(fn: () => Promise<T>) => {
    guestHolds ??= await acquire();
    try {
      return await fn();
    } finally {
      if (guestHolds && !db.pglite.isInTransaction()) {
        guestHolds();
        guestHolds = undefined;
      }
    }
  };
  const { pglite } = db;
  // What PGLiteSocketServer and its queue call on the instance (pglite-socket 0.2.17).
  const queueView = {
    waitReady: pglite.waitReady,
    isInTransaction: () => pglite.isInTransaction(),
    runExclusive: <T>(fn: () => Promise<T>) => forGuest(() => pglite.runExclusive(fn)),
    execProtocolRawStream: (...args: Parameters<PGlite['execProtocolRawStream']>) =>
      pglite.execProtocolRawStream(...args),
    exec: (...args: Parameters<PGlite['exec']>) => forGuest(() => pglite.exec(...args)),
  } as unknown as PGlite;
  const owner: Db = {
    kind: 'pglite',
    query: <T extends object = Row>(text: string, params?: readonly unknown[]) => held(() => db.query<T>(text, params)),
    columns: (text, params) => held(() => db.columns(text, params)),
    savepoint: (fn) => held(() => db.savepoint(fn)),
    exec: (script) => held(() => db.exec(script)),
    transaction: (fn) => held(() => db.transaction(fn)),
    close: () => db.close(),
  };
  return { owner, queueView };
}

/** Opens PGlite and serves it on the socket; the owner itself calls PGlite in-process. */
async function serve(dataDir: string, socket: string): Promise<Link> {
  const db = await openPglite({ dataDir });
  try {
    await unlink(socket).catch(() => {}); // left by an owner that was killed
    const { owner, queueView } = arbitrate(db);
    const server = new PGLiteSocketServer({ db: queueView, path: socket, maxConnections: 1000 });
    await server.start();
    const stopServing = async () => {
      await server.stop();
      await db.close();
    };
    return { client: owner, stopServing };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function clientOn(socket: string): Promise<Db> {
  // PGlite runs as superuser postgres in database postgres; its socket asks for no password.
  const client = await openPostgres('postgres://postgres@localhost/postgres', { path: socket, kind: 'pglite', max: 4 });
  // Outside a transaction the socket's queue may interleave one connection's Parse, Bind and
  // Execute with another's (PGlite has one unnamed statement and portal for all); inside one, the
  // queue keeps the backend for the connection that began it. So single statements run in one.
  // exec() is one simple-protocol message, never interleaved.
  return {
    ...client,
    query: <T extends object = Row>(text: string, params?: readonly unknown[]) =>
      client.transaction((tx) => tx.query<T>(text, params)),
    columns: (text, params) => client.transaction((tx) => tx.columns(text, params)),
  };
}

/** Becomes the owner if the lock is free or stale, otherwise a guest of the live owner. */
async function attach(dataDir: string): Promise<Link> {
  const socket = socketPathFor(dataDir);
  const deadline = Date.now() + WAIT_FOR_OWNER_MS;
  for (;;) {
    if (await tryTakeLock(dataDir, { pid: process.pid, socket })) {
      try {
        return await serve(dataDir, socket);
      } catch (error) {
        await releaseLock(dataDir);
        throw error;
      }
    }
    const owner = await readLock(dataDir);
    if (owner && isAlive(owner.pid)) {
      if (await canConnect(owner.socket)) return { client: await clientOn(owner.socket) };
    } else {
      await removeStaleLock(dataDir);
      continue;
    }
    if (Date.now() > deadline) {
      throw new DomainError(
        'UNAVAILABLE',
        `The process ${owner.pid} holding ${dataDir} does not answer on ${owner.socket}; if it hangs, stop it`,
      );
    }
    await sleep(RETRY_MS);
  }
}

function lostOwner(error: unknown): boolean {
  // The domain may have mapped it to an UNAVAILABLE DomainError already; the driver's error is its cause.
  return isConnectionLost(error) || isConnectionLost((error as Error | undefined)?.cause);
}

export async function openSharedPglite(dataDir: string): Promise<Db> {
  let link = attach(dataDir);
  await link;
  let closed = false;

  /**
   * Runs one call on the current link. A call that finds the owner gone fails (its transaction
   * never committed) and starts the takeover; calls after it wait for the new link.
   */
  async function run<T>(fn: (client: Db) => Promise<T>): Promise<T> {
    const current = link;
    const { client, stopServing } = await current;
    try {
      return await fn(client);
    } catch (error) {
      if (!closed && !stopServing && link === current && lostOwner(error)) {
        link = (async () => {
          await client.close().catch(() => {});
          return attach(dataDir);
        })();
        link.catch(() => {}); // a failed takeover is reported to the next call, not as unhandled
      }
      throw error;
    }
  }

  return {
    kind: 'pglite',
    query: <T extends object = Row>(text: string, params?: readonly unknown[]) =>
      run((client) => client.query<T>(text, params)),
    columns: (text, params) => run((client) => client.columns(text, params)),
    savepoint: (fn) => run((client) => client.savepoint(fn)),
    exec: (script) => run((client) => client.exec(script)),
    transaction: (fn) => run((client) => client.transaction(fn)),
    async close() {
      closed = true;
      const current = await link.catch(() => undefined); // a takeover that failed holds nothing
      if (!current) return;
      const { client, stopServing } = current;
      if (!stopServing) return client.close();
      await stopServing();
      await releaseLock(dataDir);
    },
  };
}
