// What a tool is: a name, a description for a model that has never seen our schema, zod input
// and output schemas, truthful annotations, and one call into the domain.
import type { z } from 'zod';
import type { Tx } from '../db/types.js';
import type { Toolset } from '../domain/platform/roles.js';
import type { Role, User } from '../domain/platform/users.js';
import type { Embedder } from '../rag/embedder.js';
import type { ViewName } from '../resources/views.js';

/** What the document tools need besides the database. */
export interface RagServices {
  embedder: Embedder;
  /** Files given to ingest_document by path must lie under this folder. */
  docsRoot: string;
  /** The embedded database's folder (ERP_DATA_DIR): never read, even inside docsRoot. */
  dataDir?: string;
}

export interface ToolContext {
  /**
   * The tool's own transaction, and its only way to the database: everything it writes commits or
   * rolls back together with its audit row (and a second connection from inside it could wait on
   * the shared embedded database's one backend forever).
   */
  tx: Tx;
  user: User;
  /** Every tool this server offers, for tools that describe the catalogue (whoami). */
  catalogue: readonly AnyTool[];
  rag?: RagServices;
  /** Reports progress when the client asked for it (a progressToken); a no-op otherwise. */
  progress: (done: number, total: number, message?: string) => Promise<void>;
}

export interface ApprovalNeed {
  module: string;
  reason: string;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolDef<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** Narrows who may call it below what the role matrix allows for its toolset. */
  roles?: readonly Role[];
  /** The MCP Apps view (ui://erp/<view>) a host may render its result in (src/resources/views.ts). */
  view?: ViewName;
  /**
   * Risky actions: returns why this call needs an approval (and for which module), or null to
   * run now. A call that needs one is stored and runs when decide_approval approves it.
   */
  approval?: (ctx: ToolContext, input: z.output<I>) => Promise<ApprovalNeed | null>;
  /**
   * One true line a person reads before the data (src/tools/text.ts renders the rest), from the
   * output alone: whatever it says is in structuredContent too.
   */
  summary: (output: z.output<O>) => string;
  /** Resources the result points at, added to its content as resource_link items. */
  links?: (output: z.output<O>) => { uri: string; name: string; description?: string; mimeType?: string }[];
  run: (ctx: ToolContext, input: z.output<I>) => Promise<z.input<O>>;
  /**
   * The tool's output as one SQL expression of `params(input)` ($1, $2, …): its value is the whole
   * output as json (keys in the output's order), or null when there is nothing to show. The gate
   * sends it with the call's audit row (src/gate.ts): a read's in one statement (answerRead), whose
   * `run` answers whenever the database declines and must say the same; a write's (with `work`)
   * after the work's last statements, together with the commit. The database's json goes to the
   * client as it is (not through `output`): tests hold it to the output schema, as clients do.
   */
  answer?: SqlAnswer<z.output<I>>;
  /** With `answer`: the call's writes, whose result is the answer read after them (run is then both). */
  work?: (ctx: ToolContext, input: z.output<I>) => Promise<void>;
}

export interface SqlAnswer<I> {
  sql: string;
  params: (input: I) => unknown[];
}

/** A tool whose output is its `answer` read after its `work`: `run` does both in one transaction. */
type AnsweredDef<I extends z.ZodType, O extends z.ZodType> = Omit<ToolDef<I, O>, 'run' | 'answer' | 'work'> & {
  answer: SqlAnswer<z.output<I>>;
  work: NonNullable<ToolDef<I, O>['work']>;
};

export type AnyTool = ToolDef<z.ZodType, z.ZodType>;

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDef<I, O> | AnsweredDef<I, O>): AnyTool {
  if ('run' in def) return def as unknown as AnyTool;
  const { answer, work } = def;
  const run = async (ctx: ToolContext, input: z.output<I>) => {
    await work(ctx, input);
    const [row] = await ctx.tx.query<{ answer: z.input<O> | null }>(
      `select ${answer.sql} as answer`,
      answer.params(input),
    );
    if (!row?.answer) throw new Error(`${def.name}: its answer is missing after its work`);
    return row.answer;
  };
  return { ...def, run } as unknown as AnyTool;
}
