// tools/list size per role: what a host puts in the model's context before the first call. The
// floor is the bare catalogue a model cannot do without (each tool's name and description); the
// ratio is what titles, annotations and the JSON Schemas cost on top of it. ≈ tokens = chars ÷ 4.
// Discover mode (--tools discover) lists whoami, find_operation and call_operation.
import { ROLES } from '../dist/domain/platform/users.js';
import { canCall } from '../dist/tools/access.js';
import { allTools, listedTools } from '../dist/tools/index.js';

const chars = (x) => JSON.stringify(x).length;
const bare = (e) => ({ name: e.name, description: e.description });

/** The tools/list a user with this role gets with every toolset on, and its size by part. */
export function toolsListSize(role, mode = 'full') {
  const entries = listedTools(
    allTools.filter((t) => canCall({ role }, t)),
    mode,
  );
  const parts = { descriptions: 0, input: 0, output: 0, other: 0 };
  for (const { inputSchema, outputSchema, ...rest } of entries) {
    parts.descriptions += chars(bare(rest));
    parts.input += chars(inputSchema);
    parts.output += chars(outputSchema ?? {});
    parts.other += chars(rest) - chars(bare(rest)); // title and annotations
  }
  return {
    role,
    mode,
    tools: entries.length,
    total: chars({ tools: entries }),
    floor: chars(entries.map(bare)),
    parts,
  };
}

/** The bench section: one row per role and mode; the last column is how much smaller discover mode is. */
export function reportToolsListSize(row, roles = ROLES) {
  const k = (n) => `${(n / 1000).toFixed(1)}k`;
  row(
    'role',
    'mode',
    'tools',
    'tools/list chars',
    '≈ tokens',
    'input schemas',
    'output schemas',
    'floor: names + descriptions',
    'ratio',
    'full ÷ discover',
  );
  row('---', '---', '---', '---', '---', '---', '---', '---', '---', '---');
  for (const role of roles) {
    const full = toolsListSize(role, 'full');
    for (const s of [full, toolsListSize(role, 'discover')]) {
      row(
        role,
        s.mode,
        s.tools,
        k(s.total),
        k(s.total / 4),
        k(s.parts.input),
        k(s.parts.output),
        k(s.floor),
        `${(s.total / s.floor).toFixed(2)}×`,
        s === full ? '' : `${(full.total / s.total).toFixed(1)}×`,
      );
    }
  }
}
