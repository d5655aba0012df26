// MCP resources: the live schema, the MCP Apps views (ui://erp/…, views.ts), and ERP records
// (documents, customers, orders, invoices) a client can open, cite and complete. resources/list, resources/templates/list, resources/read and
// completion/complete are answered here, each through the gate (src/gate.ts): role-checked,
// audited, one transaction. A role sees only the record kinds it may read.
import type {
  CompleteResult,
  ReadResourceResult,
  Resource,
  ResourceTemplateType,
  Server,
} from '@modelcontextprotocol/server';
import type { Tx } from '../db/types.js';
import { describeSchema } from '../domain/platform/schema.js';
import { mayRead } from '../domain/platform/roles.js';
import { parseRowId } from '../domain/shared/ids.js';
import { decodeCursor, encodeCursor } from '../domain/shared/pagination.js';
import { pass, protocolError, type GateEnv, type Refusal } from '../gate.js';
import { completePrompt } from '../prompts.js';
import { RECORD_KINDS, type RecordKind } from './records.js';
import { listViews, mayOpenView, readView, viewAt } from './views.js';

const PAGE = 100;
/** The spec's cap on completion values in one answer. */
export const COMPLETION_LIMIT = 100;
const SCHEMA: Resource = {
  uri: 'erp://schema',
  name: 'schema',
  title: 'Database schema',
  mimeType: 'text/markdown',
  description: 'Every table and column of the ERP database, and the reporting views run_query reads, as Markdown.',
};
const RECORD_URI = /^erp:\/\/([a-z]+)\/([^/?#]*)$/;

const template = (kind: RecordKind): ResourceTemplateType => ({
  uriTemplate: `erp://${kind.segment}/{id}`,
  name: kind.segment,
  title: kind.title,
  mimeType: kind.mimeType,
  description: `One ${kind.title.toLowerCase()} by id.`,
});

/** One page of resources: the schema and the views first, then each readable record kind in id order. */
async function listPage(
  tx: Tx,
  env: GateEnv,
  cursor: string | undefined,
): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const [kindIndex, afterId] = (decodeCursor(cursor, ['number', 'number']) ?? [-1, 0]) as [number, number];
  const resources: Resource[] = kindIndex < 0 ? [SCHEMA, ...listViews(env.user.role)] : [];
  for (let k = Math.max(0, kindIndex); k < RECORD_KINDS.length; k++) {
    const kind = RECORD_KINDS[k]!;
    if (!mayRead(env.user.role, kind.toolset)) continue;
    const room = PAGE - resources.length;
    const rows = await kind.list(tx, k === kindIndex ? afterId : 0, room + 1);
    for (const r of rows.slice(0, room))
      resources.push({ uri: `erp://${kind.segment}/${r.id}`, name: r.label, mimeType: kind.mimeType });
    if (rows.length > room) return { resources, nextCursor: encodeCursor([k, rows[room - 1]!.id]) };
  }
  return { resources };
}

type Target =
  | { kind: 'schema' }
  | { kind: 'view'; view: NonNullable<ReturnType<typeof viewAt>> }
  | { kind: RecordKind; id: number };

/** What a URI names, or why it names nothing readable by this user. */
function resolve(env: GateEnv, uri: string): Target | Refusal {
  if (uri === SCHEMA.uri) return { kind: 'schema' };
  const view = viewAt(uri);
  if (view === null)
    return {
      status: 'invalid',
      code: 'NOT_FOUND',
      message: `There is no view ${uri}; resources/list shows what there is`,
    };
  if (view) {
    if (!mayOpenView(env.user.role, view))
      return {
        status: 'denied',
        code: 'FORBIDDEN',
        message: `Role ${env.user.role} may not open the ${view.name} view`,
      };
    return { kind: 'view', view };
  }
  const match = RECORD_URI.exec(uri);
  const kind = RECORD_KINDS.find((k) => k.segment === match?.[1]);
  if (!match || !kind)
    return {
      status: 'invalid',
      code: 'NOT_FOUND',
      message: `There is no resource ${uri}; resources/list shows what there is`,
    };
  if (!mayRead(env.user.role, kind.toolset))
    return { status: 'denied', code: 'FORBIDDEN', message: `Role ${env.user.role} may not read ${kind.segment}` };
  const id = parseRowId(match[2]!);
  if (id === null)
    return {
      status: 'invalid',
      code: 'INVALID_INPUT',
      message: `${uri}: the id must be a positive integer below 2^31`,
    };
  return { kind, id };
}

async function read(env: GateEnv, uri: string): Promise<ReadResourceResult> {
  const target = resolve(env, uri);
  const agent = 'kind' in target && typeof target.kind === 'object' ? target.kind.toolset : 'resources';
  const outcome = await pass(
    env,
    { agent, name: 'resources/read', input: { uri } },
    () => ('code' in target ? target : null),
    async (tx) => {
      const t = target as Target;
      if (t.kind === 'view') {
        const content = await readView(t.view);
        return {
          value: { contents: [content] },
          output: { uri, mimeType: content.mimeType, characters: content.text.length },
        };
      }
      const [mimeType, text] =
        t.kind === 'schema'
          ? ['text/markdown', await describeSchema(tx)]
          : [t.kind.mimeType, await t.kind.read(tx, t.id)];
      return { value: { contents: [{ uri, mimeType, text }] }, output: { uri, mimeType, characters: text.length } };
    },
  );
  if (outcome.ok) return outcome.value;
  throw protocolError(outcome.refusal, uri);
}

/** Completion values for a record template's id: ids of matching records the caller may read. */
async function completeRecordId(tx: Tx, env: GateEnv, uriTemplate: string, value: string): Promise<string[]> {
  const kind = RECORD_KINDS.find((k) => uriTemplate === `erp://${k.segment}/{id}`);
  if (!kind || !mayRead(env.user.role, kind.toolset)) return [];
  return (await kind.complete(tx, value, COMPLETION_LIMIT + 1)).map((r) => String(r.id));
}

export function registerResources(server: Server, env: GateEnv): void {
  server.setRequestHandler('resources/templates/list', () => ({
    resourceTemplates: RECORD_KINDS.filter((k) => mayRead(env.user.role, k.toolset)).map(template),
  }));
  server.setRequestHandler('resources/read', (request) => read(env, request.params.uri));
  server.setRequestHandler('resources/list', async (request) => {
    const outcome = await pass(
      env,
      { agent: 'resources', name: 'resources/list', input: { cursor: request.params?.cursor ?? null } },
      () => null,
      async (tx) => {
        const page = await listPage(tx, env, request.params?.cursor);
        return { value: page, output: { resources: page.resources.length, next_cursor: page.nextCursor ?? null } };
      },
    );
    if (outcome.ok) return outcome.value;
    throw protocolError(outcome.refusal);
  });
  server.setRequestHandler('completion/complete', async (request) => {
    const { ref, argument } = request.params;
    const outcome = await pass(
      env,
      { agent: 'resources', name: 'completion/complete', input: { ref, argument } },
      () => null,
      async (tx): Promise<{ value: CompleteResult; output: unknown }> => {
        // Each source returns up to one value more than the cap, so "more" is known, never guessed.
        const found =
          ref.type === 'ref/prompt'
            ? await completePrompt(tx, env, ref.name, argument.name, argument.value, COMPLETION_LIMIT + 1)
            : await completeRecordId(tx, env, ref.uri, argument.value);
        const values = found.slice(0, COMPLETION_LIMIT);
        const hasMore = found.length > COMPLETION_LIMIT;
        return {
          value: { completion: { values, hasMore, ...(hasMore ? {} : { total: values.length }) } },
          output: { values: values.length, has_more: hasMore },
        };
      },
    );
    if (outcome.ok) return outcome.value;
    throw protocolError(outcome.refusal);
  });
}
