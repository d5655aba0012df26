// Which driver errors mean the database went away under a statement; both drivers' codes.

/**
 * The connection to the database went away under a statement: PostgreSQL restarted or ended the
 * session (57P01–57P03, class 08), stopped accepting connections, or the driver lost its socket
 * (postgres.js codes, or the system's). The transaction did not commit, so nothing was changed.
 */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  const refused = code === '55000' && /accepting connections/.test(String((error as { message?: unknown }).message));
  // A shared PGlite owner that closed removed its socket: connecting finds no file.
  const ownerGone = code === 'ENOENT' && (error as { syscall?: unknown }).syscall === 'connect';
  return (
    refused ||
    ownerGone ||
    (/^(57P0[123]|08\w{3}|3D000)$/.test(code) && code !== '08P01') || // 08P01: a protocol error of ours, on a live connection
    [
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
      'CONNECT_TIMEOUT',
      'ECONNREFUSED',
      'ECONNRESET',
      'EPIPE',
      'ENOTFOUND',
      'ETIMEDOUT',
    ].includes(code)
  );
}

/**
 * Rejects after ms as a lost connection (CONNECT_TIMEOUT), for statements outside a transaction:
 * a bare statement could otherwise wait for ever while the database is away.
 */
export function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => {}); // when the timer wins, a later failure of the statement has no one to tell
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      setTimeout(
        () =>
          reject(
            Object.assign(new Error(`no answer from the database within ${ms / 1000} s`), { code: 'CONNECT_TIMEOUT' }),
          ),
        ms,
      ).unref();
    }),
  ]);
}
