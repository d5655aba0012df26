// JSON-RPC 2.0's own rules, checked before the SDK sees a message, on both transports: a body or
// line that is not JSON is a Parse error (-32700); an empty batch, or a message that is not a
// JSON-RPC 2.0 message as the SDK's own message schema reads it (a `_meta.progressToken` that is
// an object, an id that is a boolean…), is an Invalid Request (-32600), answered with the offending
// id when it has one. The SDK would otherwise drop such a message without an answer and leave the
// client waiting for its timeout.
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import { parseJSONRPCMessage, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/server';

export interface RpcError {
  jsonrpc: '2.0';
  error: { code: number; message: string };
  id: string | number | null;
}

const invalid = (message: string, id: string | number | null = null): RpcError => ({
  jsonrpc: '2.0',
  error: { code: -32600, message: `Invalid Request: ${message}` },
  id,
});

interface Issue {
  path?: PropertyKey[];
  message?: string;
  errors?: Issue[][];
}
/** Every issue of a schema error, a union's branches included, each with its full path. */
const issuesOf = (issues: Issue[], at: PropertyKey[] = []): Issue[] =>
  issues.flatMap((i) => {
    const path = [...at, ...(i.path ?? [])];
    return i.errors?.length ? i.errors.flatMap((branch) => issuesOf(branch, path)) : [{ ...i, path }];
  });

/**
 * What the SDK's schema refuses, as "params._meta.progressToken: Invalid input": of a union's
 * branches, the one that got furthest into the message names the field.
 */
function firstIssue(error: unknown): string {
  const all = issuesOf((error as { issues?: Issue[] }).issues ?? []);
  const issue = all.reduce<Issue | undefined>((a, b) => (a && a.path!.length >= b.path!.length ? a : b), undefined);
  if (!issue) return 'not a JSON-RPC 2.0 request, notification or response';
  const path = issue.path!.map(String).join('.');
  return `${path ? `${path}: ` : ''}${issue.message ?? 'invalid'}`.slice(0, 200);
}

/** Why a parsed body is not acceptable JSON-RPC 2.0, or null when it is. */
export function jsonRpcProblem(body: unknown): RpcError | null {
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0) return invalid('an empty batch');
  for (const m of messages) {
    const message = m as { jsonrpc?: unknown; id?: unknown } | null;
    const isObject = typeof message === 'object' && message !== null && !Array.isArray(message);
    const id = isObject && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : null;
    if (!isObject || message.jsonrpc !== '2.0')
      return invalid('every message must be a JSON-RPC 2.0 object ("jsonrpc": "2.0")', id);
    try {
      parseJSONRPCMessage(message);
    } catch (error) {
      return invalid(firstIssue(error), id);
    }
  }
  return null;
}

export const parseError: RpcError = {
  jsonrpc: '2.0',
  error: { code: -32700, message: 'Parse error: the message is not JSON' },
  id: null,
};

/** The longest line stdio takes: the SDK's own read buffer limit. */
export const MAX_LINE = STDIO_DEFAULT_MAX_BUFFER_SIZE;

/**
 * stdin for the stdio transport with the rules above applied line by line: a bad line is answered
 * on `reply` and never reaches the SDK (which would drop it without an answer). A line longer than
 * MAX_LINE is refused and skipped up to its end, so a caller cannot make the server hold an
 * endless line in memory. Bytes are decoded across chunks, so a character split between two reads
 * stays whole.
 */
export function checkedLines(input: Readable, reply: (error: RpcError) => void, maxLine = MAX_LINE): Readable {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  const checked = (line: string): boolean => {
    if (line.trim() === '') return true;
    let body: unknown;
    try {
      body = JSON.parse(line);
    } catch {
      reply(parseError);
      return false;
    }
    const problem = jsonRpcProblem(body);
    if (problem) reply(problem);
    return !problem;
  };
  return input.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const lines = (pending + decoder.write(chunk)).split('\n');
        pending = lines.pop()!;
        const kept: string[] = [];
        for (const line of lines) {
          // The end of a line already refused is dropped with it.
          if (skipping) skipping = false;
          else if (checked(line)) kept.push(line);
        }
        if (pending.length > maxLine) {
          if (!skipping) reply(invalid(`a message longer than ${maxLine} characters`));
          skipping = true;
          pending = '';
        }
        done(null, kept.length ? `${kept.join('\n')}\n` : undefined);
      },
    }),
  );
}
