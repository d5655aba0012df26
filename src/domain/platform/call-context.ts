// What a client may attach to a request through _meta: a link to one of its own conversations.
// Anything else there is ignored; a link that is not the caller's is refused, never recorded.
import type { Tx } from '../../db/types.js';
import { invalid } from '../shared/errors.js';
import { isRowId } from '../shared/ids.js';
import type { User } from './users.js';

/** The conversation a client links a call to, via _meta["erp-mcp/conversation_id"]. */
export const CONVERSATION_META = 'erp-mcp/conversation_id';

/** The linked conversation id from _meta, null when there is none; refuses anything but an id. */
export function conversationFromMeta(meta: Record<string, unknown> | undefined): number | null {
  const value = meta?.[CONVERSATION_META];
  if (value === undefined || value === null) return null;
  if (!isRowId(value))
    throw invalid(`_meta.${CONVERSATION_META}: must be a conversation id (a positive integer below 2^31)`);
  return value;
}

/** Only the owner of a conversation may link calls to it (admins included: it is their record). */
export async function assertOwnConversation(tx: Tx, conversationId: number, user: User): Promise<void> {
  const [row] = await tx.query<{ user_id: number | null }>('select user_id from conversations where id = $1', [
    conversationId,
  ]);
  if (!row || row.user_id !== user.id) {
    throw invalid(
      `_meta.${CONVERSATION_META}: conversation ${conversationId} is not one of yours; start_conversation makes one`,
    );
  }
}
