// Conversations are private: only their owner and admins read message text. The audit log
// stores every call whole (its hash chain covers the payloads), so the text is hidden when the
// log is read, here, for everyone else (get_conversation refuses them in conversations.ts).
import type { Tx } from '../../db/types.js';
import type { Page } from '../shared/pagination.js';
import { listToolCalls, type ListToolCallsInput, type ToolCallRow } from './audit.js';
import type { User } from './users.js';

export const REDACTED = '[redacted: private conversation]';
export const REDACTED_READ = '[redacted: what another user read]';

/** Tools whose payloads carry message text: the text is hidden, the ids and sender stay. */
const CONVERSATION_TOOLS = new Set(['start_conversation', 'add_message', 'get_conversation']);
/** Where the text sits in those payloads; `preview` is what the log keeps of a truncated payload. */
const TEXT_KEYS = new Set(['content', 'preview']);
/**
 * Reads whose output shows what their caller was allowed to see (an admin's list_tool_calls or
 * run_query holds everyone's text): shown to that caller and admins only.
 */
const PERSONAL_READS = new Set(['list_tool_calls', 'run_query']);

type Payloads = Pick<ToolCallRow, 'tool_name' | 'user_id' | 'conversation_id' | 'input_json' | 'output_json'>;

/** The audit log as this user may read it: newest first, private text redacted. */
export async function listVisibleToolCalls(
  tx: Tx,
  viewer: User,
  input: ListToolCallsInput,
): Promise<Page<ToolCallRow>> {
  const page = await listToolCalls(tx, input);
  return { ...page, items: await redactForViewer(tx, viewer, page.items) };
}

export async function redactForViewer<R extends Payloads>(tx: Tx, viewer: User, rows: R[]): Promise<R[]> {
  if (viewer.role === 'admin') return rows;
  const owners = await conversationOwners(tx, rows.flatMap(conversationsOf));
  return rows.map((row) => redactRow(row, viewer, owners));
}

function redactRow<R extends Payloads>(row: R, viewer: User, owners: Map<number, number | null>): R {
  const seen =
    PERSONAL_READS.has(row.tool_name) && row.user_id !== viewer.id ? { ...row, output_json: REDACTED_READ } : row;
  const refs = conversationsOf(row);
  // A conversation a call names but that does not exist held only the caller's own words.
  const ownerOf = (id: number) => (owners.has(id) ? owners.get(id) : row.user_id);
  const mine = refs.length > 0 ? refs.every((id) => ownerOf(id) === viewer.id) : row.user_id === viewer.id;
  if (mine) return seen;
  if (CONVERSATION_TOOLS.has(row.tool_name))
    return { ...seen, input_json: redactText(seen.input_json), output_json: redactText(seen.output_json) };
  // Any other call made in someone else's conversation may quote it: assistants pass the user's words on.
  return refs.length > 0 ? { ...seen, input_json: REDACTED, output_json: REDACTED } : seen;
}

/** The conversations a row belongs to: the one it was linked to, and the one a conversation tool used. */
function conversationsOf(row: Payloads): number[] {
  const refs = row.conversation_id === null ? [] : [row.conversation_id];
  if (CONVERSATION_TOOLS.has(row.tool_name)) {
    const used =
      row.tool_name === 'start_conversation' ? field(row.output_json, 'id') : field(row.input_json, 'conversation_id');
    if (typeof used === 'number' && Number.isSafeInteger(used)) refs.push(used);
  }
  return refs;
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;

async function conversationOwners(tx: Tx, ids: number[]): Promise<Map<number, number | null>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: number; user_id: number | null }>(
    'select id, user_id from conversations where id = any($1::bigint[])',
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r.user_id]));
}

/** The same JSON with every message text replaced, at any depth. */
function redactText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactText);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, TEXT_KEYS.has(k) && typeof v === 'string' ? REDACTED : redactText(v)]),
  );
}
