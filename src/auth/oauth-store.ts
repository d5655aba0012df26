// oidc-provider's persistence adapter on our database (sql/012 oauth_store): one row per model
// instance, so any number of instances and restarts share sessions, grants, codes, refresh tokens
// and registered clients. Expired rows are never returned and are swept from time to time.
import type { Db } from '../db/types.js';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Rows this long past their expiry are deleted by the sweep. */
const SWEEP_AFTER = "interval '1 hour'";
/** One upsert in this many sweeps the table. */
const SWEEP_EVERY = 200;

let writes = 0;

/** The erp-mcp user a model belongs to (accountId is our users.id as text). */
function userIdOf(payload: AdapterPayload): number | null {
  const accountId = payload.accountId ?? payload.session?.accountId;
  return typeof accountId === 'string' && /^\d{1,9}$/.test(accountId) ? Number(accountId) : null;
}

/**
 * The adapter factory. alreadyUsed makes the error for a code or refresh token consumed by a
 * concurrent request: consuming is one conditional update, so two requests racing with the same
 * token cannot both get new tokens (the library's own check reads first, then consumes).
 */
export function oauthStore(db: Db, alreadyUsed: () => Error): (model: string) => Adapter {
  return (model) => ({
    async upsert(id, payload, expiresIn) {
      await db.query(
        `insert into oauth_store (model, id, payload, grant_id, uid, user_code, user_id, expires_at)
         values ($1, $2, $3::jsonb, $4, $5, $6, $7, case when $8::int is null then null else now() + make_interval(secs => $8::int) end)
         on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
           user_code = excluded.user_code, user_id = excluded.user_id, expires_at = excluded.expires_at`,
        [
          model,
          id,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          userIdOf(payload),
          typeof expiresIn === 'number' ? Math.ceil(expiresIn) : null,
        ],
      );
      if (++writes % SWEEP_EVERY === 0)
        await db.query(`delete from oauth_store where expires_at < now() - ${SWEEP_AFTER}`);
    },
    async find(id) {
      return one(db, 'model = $1 and id = $2', [model, id]);
    },
    async findByUid(uid) {
      return one(db, 'model = $1 and uid = $2', [model, uid]);
    },
    async findByUserCode(userCode) {
      return one(db, 'model = $1 and user_code = $2', [model, userCode]);
    },
    async consume(id) {
      const used = await db.query(
        'update oauth_store set consumed_at = now() where model = $1 and id = $2 and consumed_at is null returning 1',
        [model, id],
      );
      if (used.length === 0) throw alreadyUsed();
    },
    async destroy(id) {
      await db.query('delete from oauth_store where model = $1 and id = $2', [model, id]);
    },
    async revokeByGrantId(grantId) {
      await db.query('delete from oauth_store where model = $1 and grant_id = $2', [model, grantId]);
    },
  });
}

async function one(db: Db, where: string, params: unknown[]): Promise<AdapterPayload | undefined> {
  const [row] = await db.query<{ payload: AdapterPayload; consumed: number | null }>(
    `select payload, extract(epoch from consumed_at)::int as consumed from oauth_store
     where ${where} and (expires_at is null or expires_at > now())`,
    params,
  );
  if (!row) return undefined;
  return row.consumed === null ? row.payload : { ...row.payload, consumed: row.consumed };
}

/** Whether a grant is still live: the resource server's check that a token's sign-in was not revoked or ended. */
export async function grantIsLive(db: Db, grantId: string): Promise<boolean> {
  const rows = await db.query(
    `select 1 from oauth_store where model = 'Grant' and id = $1 and (expires_at is null or expires_at > now())`,
    [grantId],
  );
  return rows.length > 0;
}
