// Runs views the way a host does: the tool's tools/list entry names its ui:// resource, the host
// reads it through the server, renders it in a sandboxed iframe of a test host page (host/host.ts)
// in headless Chromium, and forwards the view's tool calls to the same real MCP client.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import type { TestClient } from '../helpers/mcp.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const artifacts = `${root}test-artifacts/`;

const newest = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((d) =>
      d.isDirectory() ? newest(`${dir}/${d.name}`) : statSync(`${dir}/${d.name}`).mtimeMs,
    ),
  );

/** Builds a view (as npm run build does) when its HTML is missing or older than its sources. */
export function ensureViewBuilt(name: string): void {
  const built = `${root}dist/views/${name}/index.html`;
  let age = 0;
  try {
    age = statSync(built).mtimeMs;
  } catch {
    /* not built yet */
  }
  if (age > Math.max(newest(`${root}views/${name}`), newest(`${root}views/lib`))) return;
  execFileSync(process.execPath, [`${root}views/build.mjs`, name], { stdio: 'pipe' });
}

/** The host page: the bundled host script inlined, nothing else. */
async function hostPage(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      write: false,
      minify: false,
      lib: { entry: `${root}tests/views/host/host.ts`, formats: ['iife'], name: 'erpTestHost' },
    },
  });
  const chunk = (Array.isArray(output) ? output[0] : output) as { output: { type: string; code?: string }[] };
  const code = chunk.output.find((o) => o.type === 'chunk')!.code!;
  return `<!doctype html><html><head><meta charset="utf-8"><title>erp-mcp test host</title></head><body style="margin:0">
<script>${code.replaceAll('</script', '<\\/script')}</script></body></html>`;
}

export interface Host {
  browser: Browser;
  open(
    mcp: TestClient,
    tool: string,
    args: Record<string, unknown>,
    options?: { theme?: 'light' | 'dark'; width?: number },
  ): Promise<{ page: Page; view: FrameLocator }>;
  close(): Promise<void>;
}

export async function startHost(): Promise<Host> {
  mkdirSync(artifacts, { recursive: true });
  const [html, browser] = await Promise.all([
    hostPage(),
    chromium.launch({ executablePath: process.env.ERP_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] }),
  ]);
  const pages: Page[] = [];
  return {
    browser,
    async open(mcp, name, args, { theme = 'light', width = 1200 } = {}) {
      const { tools } = await mcp.client.listTools();
      const tool = tools.find((t) => t.name === name)!;
      const uri = (tool._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
      expect(uri, `${name} names no view`).toMatch(/^ui:\/\/erp\//);
      const resource = await mcp.client.readResource({ uri: uri! });
      const content = resource.contents[0] as { text: string; mimeType: string };
      expect(content.mimeType).toBe('text/html;profile=mcp-app');
      const result = await mcp.client.callTool({ name, arguments: args });
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: theme });
      pages.push(page);
      page.on('pageerror', (error) => console.error(`page error in ${name} view:`, error));
      await page.exposeFunction('erpCall', (tool: string, callArgs: Record<string, unknown>) =>
        mcp.client.callTool({ name: tool, arguments: callArgs }),
      );
      await page.setContent(html);
      // The mount travels as JSON; typed loosely so TypeScript does not unfold the result's type.
      const mount: unknown = { html: content.text, tool, args, result, theme, width };
      await page.evaluate((m) => window.mountView(m as never), mount);
      return { page, view: page.frameLocator('iframe') };
    },
    async close() {
      await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
      await browser.close();
    },
  };
}

/** Screenshots of a view in both themes at a wide and a phone width, under test-artifacts/. */
export async function screenshots(
  host: Host,
  mcp: TestClient,
  tool: string,
  args: Record<string, unknown>,
  file: string,
  ready: (view: FrameLocator) => Promise<void>,
): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    for (const width of [1200, 360]) {
      const { page, view } = await host.open(mcp, tool, args, { theme, width });
      await ready(view);
      await page.waitForTimeout(150); // the iframe's last resize
      // A full-page capture leaves an out-of-process iframe blank below the fold: grow the viewport instead.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width, height: Math.max(height, 600) });
      await page.waitForTimeout(150);
      await page.screenshot({ path: `${artifacts}${file}-${theme}-${width}.png` });
      await page.close();
    }
  }
}
