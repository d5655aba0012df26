// The one connection a view has: the host, over ext-apps' App and postMessage. Data arrives as the
// result of the tool that opened the view; every other call goes through the host to the server,
// whose gate checks the user's role. The view follows the host's theme and style variables.
import { App, PostMessageTransport, applyDocumentTheme, applyHostStyleVariables } from '@modelcontextprotocol/ext-apps';

type HostContext = ReturnType<App['getHostContext']>;

export interface Bridge {
  /** Calls a server tool through the host; resolves with its structuredContent, throws its error line. */
  call<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T>;
  /** The tool whose result this view shows, when the host says. */
  toolName(): string | undefined;
}

function follow(context: HostContext): void {
  if (context?.theme) applyDocumentTheme(context.theme);
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
}

const textOf = (content: unknown): string =>
  Array.isArray(content)
    ? content.map((c: { type?: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : '')).join('\n')
    : '';

/**
 * Connects to the host and calls `show` with every tool result's structuredContent (or `fail` with
 * the error line of a failed one).
 */
export async function connect(
  name: string,
  show: (data: Record<string, unknown>, bridge: Bridge) => void,
  fail: (message: string) => void,
): Promise<Bridge> {
  const app = new App({ name: `erp-mcp ${name} view`, version: '1.0.0' }, {}, { autoResize: true });
  const bridge: Bridge = {
    async call(tool, args) {
      const result = await app.callServerTool({ name: tool, arguments: args });
      if (result.isError) throw new Error(textOf(result.content) || `${tool} failed`);
      return result.structuredContent as never;
    },
    toolName: () => app.getHostContext()?.toolInfo?.tool.name,
  };
  app.ontoolresult = (result) => {
    if (result.isError || !result.structuredContent) fail(textOf(result.content) || 'The tool returned no data');
    else show(result.structuredContent as Record<string, unknown>, bridge);
  };
  app.onhostcontextchanged = (changed) => follow({ ...app.getHostContext(), ...changed });
  await app.connect(new PostMessageTransport(window.parent, window.parent));
  follow(app.getHostContext());
  return bridge;
}
