// The layers (STYLE.md: gate → tools → domain → db), checked on the import graph of src/ as the
// TypeScript scanner reads it: imports, re-exports and import(), type-only ones included, since a
// type import still says which layer knows about which.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TOOLSETS } from '../src/domain/platform/roles.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sourceFiles('src');
const text = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

/** file → what it imports: src/… paths for our modules, bare names (zod, node:fs) for packages. */
const graph = new Map(
  files.map((file) => {
    const imported = ts
      .preProcessFile(text.get(file)!, true, true)
      .importedFiles.map(({ fileName }) =>
        fileName.startsWith('.')
          ? relative(root, resolve(root, dirname(file), fileName.replace(/\.js$/, '.ts')))
          : fileName,
      );
    return [file, imported];
  }),
);

/** The imports of files under `from` that match `to`, as "importer → imported" lines. */
const edges = (from: RegExp, to: RegExp) =>
  [...graph].flatMap(([file, imported]) =>
    from.test(file) ? imported.filter((i) => to.test(i)).map((i) => `${file} → ${i}`) : [],
  );

/** Every import cycle a depth-first walk meets, each printed as a path back to its start. */
function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('architecture', () => {
  it('every relative import resolves to a file under src, so the graph is complete', () => {
    expect(edges(/./, /^src\//).filter((e) => !graph.has(e.split(' → ')[1]!))).toEqual([]);
  });

  it("each layer imports only what ARCHITECTURE.md's table of layers allows", () => {
    // Layer → the layers of ours it may import (its own always). Packages are not checked here.
    const layers: [string, RegExp][] = [
      ['entry', /^src\/(cli|http|server)\.ts$/],
      ['commands', /^src\/(health\.ts|user-commands\.ts|demo\/)/],
      ['config', /^src\/(config|tool-mode)\.ts$/],
      ['auth', /^src\/auth\//],
      ['gate', /^src\/(gate|jsonrpc|input)\.ts$/],
      ['surface', /^src\/(tools\/|resources\/|prompts\.ts$)/],
      ['rag', /^src\/rag\//],
      ['domain', /^src\/domain\//],
      ['db', /^src\/db\//],
    ];
    const dbTypes = /^src\/db\/types\.ts$/;
    const allowed: Record<string, (RegExp | string)[]> = {
      entry: ['entry', 'commands', 'config', 'auth', 'gate', 'surface', 'rag', 'domain', 'db'],
      commands: ['config', 'gate', 'rag', 'domain', 'db'],
      config: ['domain'],
      auth: ['config', 'domain', 'db'],
      gate: ['domain', 'db'],
      surface: ['gate', 'config', 'rag', 'domain', dbTypes],
      rag: ['domain', dbTypes],
      domain: [dbTypes, 'src/db/lost-connection.ts'],
      db: ['src/domain/shared/errors.ts'],
    };
    const layerOf = (f: string) => layers.find(([, re]) => re.test(f))?.[0];
    expect(files.filter((f) => !layerOf(f))).toEqual([]);
    const outside = [...graph].flatMap(([file, imported]) => {
      const from = layerOf(file)!;
      return imported
        .filter((i) => i.startsWith('src/'))
        .filter((i) => {
          const to = layerOf(i);
          return to !== from && !allowed[from]!.some((a) => (typeof a === 'string' ? a === to || a === i : a.test(i)));
        })
        .map((i) => `${file} → ${i}`);
    });
    expect(outside).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles()).toEqual([]);
  });

  it('the domain knows neither MCP nor the layers above it', () => {
    expect(
      edges(/^src\/domain\//, /^@modelcontextprotocol\/|^src\/(tools|resources)\/|^src\/(gate|prompts|server)\.ts$/),
    ).toEqual([]);
  });

  it('src/db imports nothing of ours outside src/db, but the one error type', () => {
    // The embedded database's owner process not answering is UNAVAILABLE, which the caller must
    // show as a result like any other; DomainError is the one error type that becomes one. Its
    // module imports only db/lost-connection.ts, so this adds no edge back into the domain.
    const allowed = ['src/db/shared-pglite.ts → src/domain/shared/errors.ts'];
    expect(edges(/^src\/db\//, /^src\/(?!db\/)/).filter((e) => !allowed.includes(e))).toEqual([]);
    expect(edges(/^src\/domain\/shared\/errors\.ts$/, /^src\//)).toEqual([
      'src/domain/shared/errors.ts → src/db/lost-connection.ts',
    ]);
  });

  it('only the entry points that start a server import src/tools from outside it', () => {
    expect(edges(/^src\/(?!tools\/)/, /^src\/tools\//).filter((e) => !/^src\/(server|http|cli)\.ts /.test(e))).toEqual(
      [],
    );
  });

  it('no file under src/tools, src/resources or src/rag runs SQL: they call the domain', () => {
    // A tagged template on a handle, a call of a driver method that takes SQL or a savepoint, or a
    // handle's exec (a RegExp's exec is not SQL).
    const sql = /\b(tx|sql|db)`|\.(query|unsafe|columns|savepoint)\s*(<[^>()]*>)?\(\s*[`'"(a-z]|\b(tx|sql|db)\.exec\(/;
    // Tools and resources run inside the call's transaction; rag's bulk ingest (folder.ts) opens one
    // per file, and its SQL is the domain's.
    const transaction = /\.transaction\s*(<[^>()]*>)?\(/;
    const offenders = files
      .filter((f) => /^src\/(tools|resources|rag)\//.test(f))
      .flatMap((f) =>
        text
          .get(f)!
          .split('\n')
          .flatMap((line, i) =>
            sql.test(line) || (transaction.test(line) && !f.startsWith('src/rag/'))
              ? [`${f}:${i + 1}: ${line.trim()}`]
              : [],
          ),
      );
    expect(offenders).toEqual([]);
  });

  it("a tool reaches the database only through its call's transaction", () => {
    const define = ts.createSourceFile('define.ts', text.get('src/tools/define.ts')!, ts.ScriptTarget.Latest);
    const context = define.statements.find(
      (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ToolContext',
    );
    const members = context!.members.map((m) => (m.name && ts.isIdentifier(m.name) ? m.name.text : '?'));
    expect(members).toContain('tx');
    expect(members).not.toContain('db');
    expect(edges(/^src\/tools\/(?!call\.ts)/, /^src\/db\/(?!types\.ts$)/)).toEqual([]);
  });

  it('one module decides permissions: the role table, asked by tools, resources, prompts and the server', () => {
    expect(files.filter((f) => /\bROLE_MATRIX\b/.test(text.get(f)!))).toEqual(['src/domain/platform/roles.ts']);
    const roles = 'src/domain/platform/roles.ts';
    for (const asker of ['src/tools/access.ts', 'src/resources/index.ts', 'src/resources/views.ts', 'src/prompts.ts']) {
      expect(graph.get(asker), asker).toContain(roles);
      expect(text.get(asker), asker).toMatch(/\bmay(Call|Read|UsePrompt)\(/);
    }
    // The gate runs the check its caller hands it; for tools that check is canCall (tools/access.ts).
    for (const caller of ['src/tools/call.ts', 'src/server.ts'])
      expect(graph.get(caller), caller).toContain('src/tools/access.ts');
  });

  it('a file of tool definitions is named after the toolset its tools declare; machinery files after what they do', () => {
    // <toolset>.ts holds a toolset's main tools, <toolset>-<area>.ts another area of it (STYLE.md).
    const misnamed = files
      .filter((f) => f.startsWith('src/tools/'))
      .flatMap((f) => {
        const name = f.slice('src/tools/'.length, -'.ts'.length);
        const declared = [...new Set([...text.get(f)!.matchAll(/\btoolset: '(\w+)'/g)].map((m) => m[1]!))];
        const prefix = TOOLSETS.find((t) => name === t || name.startsWith(`${t}-`));
        const defines = /\bdefineTool\(\{/.test(text.get(f)!);
        if (!defines) return prefix ? [`${f} defines no tools but is named like toolset ${prefix}`] : [];
        return declared.length === 1 && declared[0] === prefix
          ? []
          : [`${f} declares toolset(s) ${declared.join(', ')}`];
      });
    expect(misnamed).toEqual([]);
  });
});
