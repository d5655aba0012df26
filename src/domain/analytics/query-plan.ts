// PGlite runs in this process and cannot interrupt a query: once started, a query runs to the end
// and blocks every other caller. So before run_query starts one there, its plan must show that
// the work is bounded: an estimated cost under the cap, no set-returning function whose size the
// planner could not know, and no recursive CTE that is not read through a small LIMIT.
import type { Tx } from '../../db/types.js';
import { invalid } from '../shared/errors.js';

interface PlanNode {
  'Node Type': string;
  'Total Cost': number;
  'Plan Rows': number;
  'Subplan Name'?: string;
  'CTE Name'?: string;
  'Function Call'?: string;
  Alias?: string;
  Output?: string[];
  Plans?: PlanNode[];
}

// Nodes that read all of their input before returning a row: a LIMIT above them bounds nothing.
const BLOCKING = new Set([
  'Aggregate',
  'Sort',
  'Incremental Sort',
  'Hash',
  'WindowAgg',
  'Unique',
  'SetOp',
  'Materialize',
  'Group',
  'Gather Merge',
]);
// Set-returning functions whose row count comes from their arguments: known only for constants.
const SIZED_BY_ARGUMENTS = /\b(generate_series|generate_subscripts)\s*\(/;

export interface PlanLimits {
  rows: number;
  cost: number;
}

export async function assertBoundedPlan(tx: Tx, query: string, params: unknown[], limits: PlanLimits): Promise<void> {
  const [row] = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json, verbose) ${query}`,
    params,
  );
  // PGlite answers some statements it cannot handle (expressions nested hundreds deep) with no row.
  if (!row) throw invalid('The embedded database could not plan the query; simplify it');
  const root = row['QUERY PLAN'][0].Plan;
  if (root['Total Cost'] > limits.cost) {
    throw invalid(
      `The query is too expensive for the embedded database (estimated cost ${Math.round(root['Total Cost'])}, limit ${limits.cost}): ` +
        'add WHERE conditions or a LIMIT, or run erp-mcp on PostgreSQL',
    );
  }
  const recursive = new Set<string>();
  walk(root, [], (node) => {
    if (node['Node Type'] !== 'Recursive Union') return;
    if (node['Subplan Name']?.startsWith('CTE ')) recursive.add(node['Subplan Name'].slice(4));
    if (node.Plans?.[1] && growsExponentially(node.Plans[1])) {
      throw invalid(
        'A recursive query whose step combines a value with itself (such as s || s) can grow exponentially; run_query refuses it on the embedded database',
      );
    }
  });
  walk(root, [], (node, path) => {
    const calls = [node['Function Call'], ...(node['Node Type'] === 'ProjectSet' ? (node.Output ?? []) : [])].filter(
      (c): c is string => !!c,
    );
    if (calls.some(unsizedSeries)) {
      throw invalid(
        'generate_series and generate_subscripts take constant arguments in run_query on the embedded database, so their size is known before they run',
      );
    }
    if (
      node['Node Type'] === 'CTE Scan' &&
      recursive.has(node['CTE Name'] ?? '') &&
      !boundedByLimit(path, limits.rows)
    ) {
      throw invalid(
        `A recursive query must be read through LIMIT ${limits.rows} or less on the embedded database (no aggregate or sort between)`,
      );
    }
  });
}

function walk(node: PlanNode, path: PlanNode[], visit: (node: PlanNode, path: PlanNode[]) => void): void {
  visit(node, path);
  for (const child of node.Plans ?? []) walk(child, [...path, node], visit);
}

/** True when the nearest LIMIT above the scan is small and nothing between reads everything first. */
function boundedByLimit(path: PlanNode[], rows: number): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    if (node['Node Type'] === 'Limit') return node['Plan Rows'] <= rows;
    if (BLOCKING.has(node['Node Type'])) return false;
  }
  return false;
}

/** A recursive step whose output uses the previous row twice (s || s, a + b) can double each time. */
function growsExponentially(step: PlanNode): boolean {
  const aliases: string[] = [];
  walk(step, [], (node) => {
    if (node['Node Type'] === 'WorkTable Scan' && node.Alias) aliases.push(node.Alias);
  });
  let grows = false;
  walk(step, [], (node) => {
    for (const expr of node.Output ?? []) {
      const refs = aliases.reduce((n, a) => n + expr.split(`${a}.`).length - 1, 0); // may overcount: errs on refusing
      if (refs >= 2) grows = true;
    }
  });
  return grows;
}

function unsizedSeries(call: string): boolean {
  const match = SIZED_BY_ARGUMENTS.exec(call);
  if (!match) return false;
  const args = call.slice(match.index + match[0].length).replace(/'(?:[^']|'')*'/g, "''");
  // Parameters, sub-plans and column references make the planner guess (1000 rows a call).
  return /\$\d|Plan\b|\b[a-z_][a-z0-9_]*\.[a-z_"]/i.test(args);
}
