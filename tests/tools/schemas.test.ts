// Every tool's tools/list entry, for every toolset: JSON Schema 2020-12 that Ajv compiles in strict
// mode, in the subset the large hosts accept (docs/DESIGN.md, "Tool schemas every host accepts"),
// with titles and annotations that say what the tool does.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { callOperationEntry } from '../../src/tools/call-operation.js';
import type { AnyTool } from '../../src/tools/define.js';
import { describe as toolEntry } from '../../src/tools/describe.js';
import { allTools, selectTools } from '../../src/tools/index.js';
import { TOOLSETS } from '../../src/domain/platform/roles.js';

type Json = { [key: string]: unknown };
type Io = 'input' | 'output';

const tools = selectTools(TOOLSETS);
const entries = tools.map((t) => ({ tool: t, entry: toolEntry(t) }));

// Keywords every host knows (Gemini's function-declaration subset is the narrowest; it has no
// additionalProperties, which OpenAI strict mode and Visual Studio want on inputs: see the notes).
const INPUT_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'description',
  'default',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
]);
// Outputs reach validators, not models: maps (additionalProperties as a schema), nullable type
// lists and open values ({}) are fine there; checks the server already ran (pattern, required) are not repeated.
const OUTPUT_KEYWORDS = new Set([
  'type',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'description',
  'minimum',
  'maximum',
]);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean', 'null']);

/** Every schema inside a schema, with its path, for rules that hold at every level. */
function* nodes(schema: Json, path = '#'): Generator<[string, Json]> {
  yield [path, schema];
  const props = schema.properties as Record<string, Json> | undefined;
  for (const [name, s] of Object.entries(props ?? {})) yield* nodes(s, `${path}/properties/${name}`);
  if (isJson(schema.items)) yield* nodes(schema.items, `${path}/items`);
  if (isJson(schema.additionalProperties)) yield* nodes(schema.additionalProperties, `${path}/additionalProperties`);
  for (const [i, s] of ((schema.anyOf as Json[] | undefined) ?? []).entries()) yield* nodes(s, `${path}/anyOf/${i}`);
}

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const schemaOf = (e: (typeof entries)[number]['entry'], io: Io) =>
  (io === 'input' ? e.inputSchema : e.outputSchema) as Json;

/** Problems a host would have with one schema node; empty when it is fine everywhere. */
function hostProblems(node: Json, io: Io): string[] {
  const problems: string[] = [];
  const allowed = io === 'input' ? INPUT_KEYWORDS : OUTPUT_KEYWORDS;
  for (const key of Object.keys(node)) if (!allowed.has(key)) problems.push(`keyword ${key}`);
  const { type } = node;
  if (Array.isArray(type)) {
    if (io === 'input') problems.push('a list of types (Gemini, Cursor): use anyOf');
    else if (type.length !== 2 || type[1] !== 'null' || !SCALARS.has(type[0] as string))
      problems.push(`type ${JSON.stringify(type)}`);
  }
  if (type === 'array' && !isJson(node.items)) problems.push('an array without items (VS Code, OpenAI)');
  if (type === 'object' && !isJson(node.properties) && !isJson(node.additionalProperties))
    problems.push('an object without properties (OpenAI)');
  if (io === 'input' && type === 'object' && node.additionalProperties !== false)
    problems.push('an input object open to unknown keys');
  if (io === 'input' && type === undefined && !Array.isArray(node.anyOf))
    problems.push('no type (Gemini CLI skips the tool)');
  if (Array.isArray(node.anyOf)) {
    for (const b of node.anyOf as Json[]) {
      if (typeof b.type !== 'string') problems.push('an anyOf branch without one type');
      if (io === 'input' && b.type === 'integer') problems.push('an integer anyOf branch (Cursor compares typeof)');
    }
  }
  if (
    io === 'input' &&
    Array.isArray(node.enum) &&
    (node.type !== 'string' || node.enum.some((v) => typeof v !== 'string'))
  ) {
    problems.push('an enum of non-strings (Gemini)');
  }
  if (typeof node.pattern === 'string') problems.push(...patternProblems(node.pattern));
  if (Array.isArray(node.required)) {
    for (const name of node.required as string[])
      if (!isJson(node.properties) || !(name in node.properties)) problems.push(`required ${name} is no property`);
  }
  return problems;
}

/** Patterns must mean the same in ECMA (Ajv, browsers) and RE2 (Gemini, Go hosts): no lookaround, no backreference. */
function patternProblems(pattern: string): string[] {
  const problems: string[] = [];
  try {
    new RegExp(pattern, 'u');
  } catch {
    problems.push(`pattern ${pattern} is not a unicode ECMA regex`);
  }
  if (/\(\?<?[=!]/.test(pattern)) problems.push(`pattern ${pattern} has a lookaround`);
  if (/\\[1-9]|\\k<|\(\?<[A-Za-z]/.test(pattern))
    problems.push(`pattern ${pattern} has a backreference or named group`);
  return problems;
}

describe('tool schemas', () => {
  it('the catalogue is every tool of every toolset', () => {
    expect(tools.map((t) => t.name).sort()).toEqual(allTools.map((t) => t.name).sort());
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
  });

  it('every input and output schema compiles in Ajv strict mode as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: true });
    for (const { tool, entry } of entries) {
      for (const io of ['input', 'output'] as const) {
        expect(() => ajv.compile(schemaOf(entry, io)), `${tool.name} ${io}`).not.toThrow();
      }
    }
  });

  it('every input schema is a plain object at the top: no $schema, no oneOf/anyOf/allOf/not/enum (Claude, OpenAI)', () => {
    for (const { tool, entry } of entries) {
      const s = entry.inputSchema as Json;
      expect(s.type, tool.name).toBe('object');
      expect(isJson(s.properties), tool.name).toBe(true);
      for (const key of ['$schema', 'oneOf', 'anyOf', 'allOf', 'not', 'enum', 'if', 'then', 'else'])
        expect(s, `${tool.name} ${key}`).not.toHaveProperty(key);
      expect((entry.outputSchema as Json).type, tool.name).toBe('object');
      expect(entry.outputSchema, tool.name).not.toHaveProperty('$schema');
    }
  });

  it('every schema node uses only constructs every large host accepts', () => {
    const problems: string[] = [];
    for (const { tool, entry } of entries) {
      for (const io of ['input', 'output'] as const) {
        for (const [path, node] of nodes(schemaOf(entry, io))) {
          for (const p of hostProblems(node, io)) problems.push(`${tool.name} ${io} ${path}: ${p}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("call_operation's entry compiles too, and is host-safe but for its one open input object, the arguments it passes on", () => {
    const ajv = new Ajv2020({ strict: true });
    for (const io of ['input', 'output'] as const) {
      const schema = schemaOf(callOperationEntry, io);
      expect(() => ajv.compile(schema), io).not.toThrow();
      const problems = [...nodes(schema)].flatMap(([path, node]) => hostProblems(node, io).map((p) => `${path}: ${p}`));
      expect(problems, io).toEqual(
        io === 'input' ? ['#/properties/arguments: an input object open to unknown keys'] : [],
      );
    }
    expect(callOperationEntry.inputSchema).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
  });

  it('tool names fit every host: snake_case, at most 64 characters with room for a server prefix', () => {
    for (const { tool } of entries) expect(tool.name, tool.name).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });
});

describe('titles and annotations', () => {
  const DESTRUCTIVE_NAME = /^(void|cancel|delete|reverse|forget)_|write_off/;
  // Destructive without saying so in the name: each undoes or writes off business value.
  const DESTRUCTIVE_TOO: Record<string, string> = {
    adjust_stock: 'writes stock off',
    issue_credit_note: 'reverses (part of) a posted invoice',
    decide_approval: 'runs the approved action, which may be any of these',
    disable_user: 'revokes every token of the user and ends their access',
  };
  // Writes whose repetition has a further effect: a new record, more money or stock moved, or one
  // more approval request (tools that always need approval file one per call).
  const NOT_IDEMPOTENT = [
    'start_conversation',
    'add_message',
    'create_customer',
    'create_order',
    'create_lead',
    'create_ticket',
    'receive_stock',
    'adjust_stock',
    'create_supplier',
    'create_invoice',
    'issue_credit_note',
    'record_payment',
    'allocate_payment',
    'post_journal_entry',
    'reverse_journal_entry',
    'set_lock_date',
    'create_user',
    'set_user_role',
    'enable_user',
  ];
  const writes = tools.filter((t) => !t.annotations.readOnlyHint);

  it('every tool has a human title', () => {
    for (const { tool, entry } of entries) {
      expect(entry.title, tool.name).toBe(tool.title);
      expect(entry.annotations?.title, tool.name).toBe(tool.title); // what 2025-03-26 clients read
      expect(tool.title, tool.name).toMatch(/^[A-Z][^_]*$/);
      expect(tool.title.length, tool.name).toBeLessThanOrEqual(40);
    }
  });

  it('openWorldHint is false on every tool: everything is inside our database', () => {
    for (const { tool, entry } of entries) expect(entry.annotations?.openWorldHint, tool.name).toBe(false);
  });

  it('a read-only tool is neither destructive nor says anything about repeating it; a write says both', () => {
    for (const { tool, entry } of entries) {
      const a = entry.annotations!;
      expect(typeof a.readOnlyHint, tool.name).toBe('boolean');
      if (a.readOnlyHint) {
        expect(tool.annotations.destructiveHint, tool.name).not.toBe(true);
        expect(a, tool.name).not.toHaveProperty('destructiveHint');
      } else {
        expect(typeof a.destructiveHint, tool.name).toBe('boolean');
        expect(typeof a.idempotentHint, tool.name).toBe('boolean');
      }
    }
  });

  it('read-only tools are the ones that only look: get, list, search, reports and checks', () => {
    const looks =
      /^(get|list|search|find|verify|check|reconcile|reorder|whoami|trial|income|balance|ar_aging|customer_statement|sales_report|kpi|forecast|run_query)/;
    for (const tool of tools) expect(tool.annotations.readOnlyHint, tool.name).toBe(looks.test(tool.name));
  });

  it('exactly the void, cancel, delete, reverse and write-off style tools are destructive', () => {
    const destructive = (t: AnyTool) => DESTRUCTIVE_NAME.test(t.name) || t.name in DESTRUCTIVE_TOO;
    for (const tool of writes) expect(tool.annotations.destructiveHint, tool.name).toBe(destructive(tool));
    for (const name of Object.keys(DESTRUCTIVE_TOO))
      expect(
        writes.map((t) => t.name),
        name,
      ).toContain(name);
  });

  it('idempotentHint is true exactly for writes whose repetition changes nothing more', () => {
    for (const tool of writes)
      expect(tool.annotations.idempotentHint, tool.name).toBe(!NOT_IDEMPOTENT.includes(tool.name));
    for (const name of NOT_IDEMPOTENT)
      expect(
        writes.map((t) => t.name),
        name,
      ).toContain(name);
  });
});
