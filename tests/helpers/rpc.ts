// Reads a JSON-RPC response from a raw POST /mcp: a JSON body, or an SSE stream (what a 2025-era
// stateless request gets, so that progress can ride along) whose last `data:` line is the answer.
export async function rpcBody<T = unknown>(res: Response): Promise<T> {
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return JSON.parse(text) as T;
  const messages = text
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => JSON.parse(l.slice(5)) as { id?: unknown });
  const answer = messages.reverse().find((m) => m.id !== undefined);
  if (!answer) throw new Error(`no JSON-RPC response in the event stream: ${text.slice(0, 200)}`);
  return answer as T;
}
