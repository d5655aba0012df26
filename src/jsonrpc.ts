// JSON-RPC 2.0's own rules, checked before the SDK sees a message, on both transports: a body or
// line that is not JSON is a Parse error (-32700); an empty batch, or a message that is not a
// JSON-RPC 2.0 object, is an Invalid Request (-32600), answered with the offending id when it has one.
import { Transform, type Readable } from 'node:stream';

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

/** Why a parsed body is not acceptable JSON-RPC 2.0, or null when it is. */
export function jsonRpcProblem(body: unknown): RpcError | null {
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0) return invalid('an empty batch');
  for (const m of messages) {
    const message = m as { jsonrpc?: unknown; id?: unknown } | null;
    if (typeof message !== 'object' || message === null || Array.isArray(message) || message.jsonrpc !== '2.0') {
      const id = typeof message?.id === 'string' || typeof message?.id === 'number' ? message.id : null;
      return invalid('every message must be a JSON-RPC 2.0 object ("jsonrpc": "2.0")', id);
    }
  }
  return null;
}

export const parseError: RpcError = {
  jsonrpc: '2.0',
  error: { code: -32700, message: 'Parse error: the message is not JSON' },
  id: null,
};

/**
 * stdin for the stdio transport with the rules above applied line by line: a bad line is answered
 * on `reply` and never reaches the SDK (which would drop it without an answer).
 */
export function checkedLines(input: Readable, reply: (error: RpcError) => void): Readable {
  let pending = '';
  return input.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop()!;
        const kept = lines.filter((line) => {
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
        });
        done(null, kept.length ? `${kept.join('\n')}\n` : undefined);
      },
    }),
  );
}
