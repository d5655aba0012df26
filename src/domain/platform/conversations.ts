// Conversations: persistent chat memory. A conversation belongs to a user; only they and admins
// read or extend it. Tool calls made in a conversation are linked to it in the audit log.
import type { Tx } from '../../db/types.js';
import { DomainError, notFound } from '../shared/errors.js';
import { decodeCursor, toPage, type Page } from '../shared/pagination.js';
import type { User } from './users.js';

export interface Conversation {
  id: number;
  user_id: number | null;
  started_at: string;
}
export interface Message {
  id: number;
  sender: string;
  content: string;
  created_at: string;
}

export async function startConversation(tx: Tx, actor: User, userId?: number): Promise<Conversation> {
  const owner = userId ?? actor.id;
  if (owner !== actor.id && actor.role !== 'admin')
    throw new DomainError('FORBIDDEN', 'Only an admin may start a conversation for another user');
  const [exists] = await tx.query('select 1 from users where id = $1', [owner]);
  if (!exists) throw notFound('User', owner);
  const [row] = await tx.query<Conversation>(
    'insert into conversations (user_id) values ($1) returning id, user_id, started_at',
    [owner],
  );
  return row!;
}

export async function requireConversation(tx: Tx, actor: User, id: number): Promise<Conversation> {
  const [row] = await tx.query<Conversation>('select id, user_id, started_at from conversations where id = $1', [id]);
  if (!row) throw notFound('Conversation', id);
  if (row.user_id !== actor.id && actor.role !== 'admin')
    throw new DomainError('FORBIDDEN', `Conversation ${id} belongs to another user`);
  return row;
}

export async function addMessage(
  tx: Tx,
  actor: User,
  conversationId: number,
  sender: string,
  content: string,
): Promise<Message> {
  await requireConversation(tx, actor, conversationId);
  const [row] = await tx.query<Message>(
    'insert into messages (conversation_id, sender, content) values ($1, $2, $3) returning id, sender, content, created_at',
    [conversationId, sender, content],
  );
  return row!;
}

/** The conversation with its messages, oldest first, paginated. */
export async function getConversation(
  tx: Tx,
  actor: User,
  id: number,
  page: { limit: number; cursor?: string },
): Promise<Conversation & Page<Message>> {
  const conversation = await requireConversation(tx, actor, id);
  const after = decodeCursor(page.cursor, ['number']);
  const rows = await tx.query<Message>(
    `select id, sender, content, created_at from messages where conversation_id = $1 and ($2::int is null or id > $2)
     order by id limit $3`,
    [id, after?.[0] ?? null, page.limit + 1],
  );
  return {
    ...conversation,
    ...toPage(
      rows,
      page.limit,
      (r) => [r.id],
      (r) => r,
    ),
  };
}
