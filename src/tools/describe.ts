// A tool's tools/list entry: zod schemas as JSON Schema 2020-12 in the subset every large host
// accepts (docs/DESIGN.md, "Tool schemas every host accepts"), converted once per process (the
// HTTP transport builds a server per request).
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { viewUri } from '../resources/views.js';
import type { AnyTool } from './define.js';

type Json = { [key: string]: unknown };
type Io = 'input' | 'output';

const described = new WeakMap<AnyTool, Tool>();

/** The tools/list entry of a tool, converted from zod once per process (HTTP builds a server per request). */
export function describe(tool: AnyTool): Tool {
  const cached = described.get(tool);
  if (cached) return cached;
  const entry: Tool = {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toolSchema(tool.input, 'input') as Tool['inputSchema'],
    outputSchema: toolSchema(tool.output, 'output') as Tool['outputSchema'],
    annotations: hints(tool),
    ...(tool.view ? { _meta: viewMeta(viewUri(tool.view)) } : {}),
  };
  described.set(tool, entry);
  return entry;
}

/**
 * What ext-apps' registerAppTool emits for a tool with a view: `ui.resourceUri`, and the same URI
 * under the flat `ui/resourceUri` key that hosts built before the nested form still read.
 */
const viewMeta = (uri: string) => ({ ui: { resourceUri: uri }, 'ui/resourceUri': uri });

/**
 * The annotations a client needs: the title again (clients of the 2025-03-26 revision, which had
 * no top-level title, read it here), readOnlyHint, openWorldHint (whose default is true) and, for
 * tools that write, destructiveHint (default true) and idempotentHint. The spec gives the last two
 * meaning only when readOnlyHint is false, so read-only tools leave them out.
 */
function hints(tool: AnyTool): Tool['annotations'] {
  const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = tool.annotations;
  const title = tool.title;
  return readOnlyHint
    ? { title, readOnlyHint, openWorldHint }
    : { title, readOnlyHint, destructiveHint, idempotentHint, openWorldHint };
}

/** A zod schema as the JSON Schema a tool advertises: no $schema (MCP's default dialect is 2020-12). */
export function toolSchema(schema: z.ZodType, io: Io): Json {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as Json;
  return hostSafe(json, io);
}

// zod's bounds for a bare .int(): noise, since JSON numbers past them are not exact anyway.
const SAFE = Number.MAX_SAFE_INTEGER;
// An id's upper bound is the database's integer limit, which ids never come near: the server
// still refuses a larger one, tools/list does not repeat it on every id.
const ID_MAX = 2_147_483_647;
// Keywords that annotate a schema rather than constrain it: they stay outside an anyOf.
const ANNOTATIONS = new Set(['description', 'default', 'title', 'examples']);

// What an output schema leaves to the server: every output passes the tool's zod schema before it
// is sent (src/tools/call.ts), so patterns, closed objects and `required` — every property of
// every output object is always present, null when empty — would only repeat, in every entry of
// tools/list, checks that already ran.
const OUTPUT_CHECKS = new Set(['pattern', 'required']);

/**
 * Rewrites zod's output into constructs every host accepts, without loosening what the server
 * accepts (its zod validation runs first) and with the exact rule advertised except where a host
 * forces a change: exclusive bounds on non-integers become inclusive. Nullables are an anyOf of
 * single types, in outputs too: Gemini and Cursor reject a list of types, and the MCP Inspector's
 * portability check (`--strict`) flags one wherever it is.
 */
function hostSafe(node: Json, io: Io): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format') continue; // Gemini: only enum and date-time; Ajv strict: unknown formats throw
    if (key === 'propertyNames' && isJson(value) && Object.keys(value).length === 1 && value.type === 'string')
      continue;
    if (io === 'output' && (OUTPUT_CHECKS.has(key) || (key === 'additionalProperties' && value === false))) continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    out[key] = children(key, value, io);
  }
  boundsFor(out);
  if (Array.isArray(out.type)) return typeUnion(out, io);
  if (Array.isArray(out.anyOf)) out.anyOf = flatUnion(out.anyOf as Json[]);
  return out;
}

function children(key: string, value: unknown, io: Io): unknown {
  if (key === 'properties' && isJson(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, s]) => [name, isJson(s) ? hostSafe(s, io) : s]));
  }
  if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isJson(value)) return hostSafe(value, io);
  if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === 'prefixItems') && Array.isArray(value)) {
    return value.map((s) => (isJson(s) ? hostSafe(s, io) : s));
  }
  return value;
}

/** Gemini knows only inclusive bounds; for integers the inclusive form is exact. */
function boundsFor(s: Json): void {
  const integer = s.type === 'integer';
  if (integer && s.minimum === -SAFE) delete s.minimum;
  if (integer && (s.maximum === SAFE || s.maximum === ID_MAX)) delete s.maximum;
  if (typeof s.exclusiveMinimum === 'number') {
    const min = integer ? s.exclusiveMinimum + 1 : s.exclusiveMinimum;
    s.minimum = typeof s.minimum === 'number' ? Math.max(s.minimum, min) : min;
    delete s.exclusiveMinimum;
  }
  if (typeof s.exclusiveMaximum === 'number') {
    const max = integer ? s.exclusiveMaximum - 1 : s.exclusiveMaximum;
    s.maximum = typeof s.maximum === 'number' ? Math.min(s.maximum, max) : max;
    delete s.exclusiveMaximum;
  }
}

/** `type: ["string", "null"]` as an anyOf: Gemini and Cursor reject a list of types. */
function typeUnion(s: Json, io: Io): Json {
  const outer: Json = {};
  const inner: Json = {};
  for (const [key, value] of Object.entries(s)) {
    if (key !== 'type') (ANNOTATIONS.has(key) ? outer : inner)[key] = value;
  }
  const branches = (s.type as string[]).map((type) => (type === 'null' ? { type } : hostSafe({ ...inner, type }, io)));
  return { anyOf: branches, ...outer };
}

/** A nullable union (anyOf inside anyOf) as one flat anyOf: every branch then names its type. */
function flatUnion(branches: Json[]): Json[] {
  return branches.flatMap((b) => (Array.isArray(b.anyOf) && Object.keys(b).length === 1 ? (b.anyOf as Json[]) : [b]));
}

function isJson(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
