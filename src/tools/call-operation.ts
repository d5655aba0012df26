// Discover mode's call_operation(name, arguments): runs any tool the caller may call, as if it had
// been called directly. It is no tool of the catalogue but a second door to callTool, so the call
// passes the same gate once: one role check, the inner tool's validation, approvals and progress,
// and one audit row, the inner tool's (its real name and arguments; agent "<toolset> via
// call_operation"), which keeps the audit log and per-tool statistics truthful.
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { pass, type Refusal } from '../gate.js';
import { describeZodError } from '../input.js';
import { callTool, errorResult, type CallEnv, type Via } from './call.js';

export const CALL_OPERATION = 'call_operation';

const TITLE = 'Call any of your tools';

const input = z.strictObject({
  name: z.string().trim().min(1, 'name must name a tool').max(100),
  arguments: z.record(z.string(), z.unknown()).default({}),
});

const VIA: Via = {
  tool: CALL_OPERATION,
  argumentsAt: 'arguments',
  notFoundHint: 'call find_operation to find the tool for the task, or whoami to list every tool you may call',
};

/**
 * Its tools/list entry, written out: `arguments` is the one input object open to any key, since it
 * carries another tool's arguments (that tool's own strict schema checks them), and the output is
 * whatever that tool returns.
 */
export const callOperationEntry: Tool = {
  name: CALL_OPERATION,
  title: TITLE,
  description:
    "Runs any tool you may call, by name, with that tool's arguments, and returns its result. This server lists only a few tools: call find_operation first with the task in plain words, then call_operation with the name and an `arguments` object matching the input_schema it returned (whoami lists every tool you may call). The call is checked, audited and, where needed, held for approval exactly like a direct call.",
  inputSchema: {
    type: 'object',
    properties: {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 100,
        description: 'The tool to run, e.g. get_customer (from find_operation or whoami)',
      },
      arguments: {
        type: 'object',
        properties: {},
        additionalProperties: true,
        description: "That tool's arguments, as its input_schema describes; {} for none",
      },
    },
    required: ['name'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', additionalProperties: {} },
  annotations: {
    title: TITLE,
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
};

export async function callOperation(
  env: CallEnv,
  args: unknown,
  meta?: Record<string, unknown>,
): Promise<CallToolResult> {
  const parsed = input.safeParse(args ?? {});
  if (parsed.success && parsed.data.name !== CALL_OPERATION)
    return callTool(env, parsed.data.name, parsed.data.arguments, meta, VIA);
  const refusal: Refusal = {
    status: 'invalid',
    code: 'INVALID_INPUT',
    message: parsed.success
      ? 'call_operation runs other tools; name the tool to run, not call_operation'
      : describeZodError(parsed.error),
  };
  // Refused before any work, and audited as call_operation: there is no inner call to record.
  const outcome = await pass(
    env,
    { agent: 'router', name: CALL_OPERATION, input: args ?? {}, meta },
    () => refusal,
    () => {
      throw new Error('a refused call does no work');
    },
  );
  const { code, message } = outcome.ok ? refusal : outcome.refusal;
  return errorResult(code, message);
}
