// The test host page: loads a view's HTML in a sandboxed iframe (scripts only, opaque origin) and
// connects it with ext-apps' AppBridge. Tool calls the view makes go to window.erpCall, which the
// test process answers with a real MCP client of a real erp-mcp server (tests/views/host.ts).
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

type CallResult = Awaited<ReturnType<AppBridge['callTool']>>;

export interface Mount {
  html: string;
  tool: { name: string; inputSchema: { type: 'object' } } & Record<string, unknown>;
  args: Record<string, unknown>;
  result: CallResult;
  theme: 'light' | 'dark';
  width: number;
}

declare global {
  interface Window {
    erpCall(name: string, args: Record<string, unknown>): Promise<CallResult>;
    mountView(mount: Mount): Promise<void>;
    hostLog: string[];
  }
}

window.hostLog = [];

window.mountView = async (mount) => {
  document.documentElement.style.colorScheme = mount.theme;
  document.body.style.background = mount.theme === 'dark' ? '#0f1013' : '#eef0f3';
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.title = `${mount.tool.name} view`;
  iframe.style.cssText = 'display:block;width:100%;height:200px;border:0';
  iframe.srcdoc = mount.html;
  document.body.append(iframe);

  const bridge = new AppBridge(
    null,
    { name: 'erp-mcp test host', version: '1.0.0' },
    { serverTools: {}, logging: {} },
    {
      hostContext: {
        theme: mount.theme,
        displayMode: 'inline',
        availableDisplayModes: ['inline'],
        locale: 'en-GB',
        timeZone: 'UTC',
        containerDimensions: { width: mount.width, maxHeight: 20000 },
        toolInfo: { tool: mount.tool as never },
      },
    },
  );
  bridge.oncalltool = async (params) => {
    window.hostLog.push(`call ${params.name}`);
    return window.erpCall(params.name, params.arguments ?? {});
  };
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.ceil(height)}px`;
  };
  bridge.onloggingmessage = (message) => window.hostLog.push(`log ${JSON.stringify(message.data)}`);
  const initialized = new Promise<void>((resolve) => {
    bridge.oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  await initialized;
  await bridge.sendToolInput({ arguments: mount.args });
  await bridge.sendToolResult(mount.result);
};
