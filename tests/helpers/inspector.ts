// The official MCP Inspector CLI for tests, installed on first use into node_modules/.cache. It is
// no devDependency: 2.x declares Node >= 22.19 (so do its commander 15 and undici 8), which made every
// `npm install` on Node 20 warn EBADENGINE, yet its --cli mode runs on Node 20, as
// tests/cli/inspector.test.ts shows. Needs the npm registry once; later runs reuse the copy.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const INSPECTOR = '@modelcontextprotocol/inspector@2.12.0';
const cacheDir = join(import.meta.dirname, '../../node_modules/.cache/erp-mcp-tests');
const installDir = join(cacheDir, INSPECTOR.replace(/[@/]/g, '_'));
const bin = join(installDir, 'node_modules/.bin/mcp-inspector');

let installing: Promise<string> | undefined;

/** The path of the inspector's bin script (run it with `node`), installing it first if needed. */
export function inspectorBin(): Promise<string> {
  installing ??= existsSync(bin) ? Promise.resolve(bin) : install();
  return installing;
}

async function install(): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  // Installed beside the final folder and renamed into place, so a run that stops half-way, or a
  // second test run installing at the same moment, never leaves a broken copy behind.
  const staging = await mkdtemp(join(cacheDir, 'staging-'));
  try {
    await writeFile(join(staging, 'package.json'), '{ "private": true }\n');
    // The outer npm's settings (npm_config_*) are not passed on: the child reads the same npmrc
    // files itself, and some of them (allow-scripts) it would refuse from the environment.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')),
    );
    // Engine warnings are expected (see above); scripts are not needed by --cli.
    const args = [
      'install',
      INSPECTOR,
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--ignore-scripts',
      '--loglevel=error',
    ];
    await promisify(execFile)('npm', args, { cwd: staging, env, timeout: 280_000 }).catch(
      (error: { stderr?: string; message: string }) => {
        throw new Error(
          `Could not install ${INSPECTOR} for the inspector test (it needs the npm registry once): ${error.stderr || error.message}`,
        );
      },
    );
    await rename(staging, installDir).catch((error: unknown) => {
      if (!existsSync(bin)) throw error; // another run finished first: use its copy
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return bin;
}
