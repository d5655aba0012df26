// The catalogue: every tool of every toolset, and the selection a server offers.
import type { Tool } from '@modelcontextprotocol/server';
import type { Toolset } from '../domain/platform/roles.js';
import type { ToolMode } from '../tool-mode.js';
import { analyticsTools } from './analytics.js';
import { callOperationEntry } from './call-operation.js';
import type { AnyTool } from './define.js';
import { describe } from './describe.js';
import { ledgerTools } from './finance-ledger.js';
import { financeReportTools } from './finance-reports.js';
import { invoiceTools } from './finance.js';
import { inventoryTools } from './inventory.js';
import { ragTools } from './rag.js';
import { approvalTools } from './router-approvals.js';
import { conversationTools } from './router-conversations.js';
import { findOperationTool } from './router-find-operation.js';
import { userTools } from './router-users.js';
import { routerTools, whoami } from './router.js';
import { crmTools } from './sales-crm.js';
import { orderTools } from './sales-orders.js';
import { salesTools } from './sales.js';

/** Every tool of every toolset; decide_approval runs approved calls against all of them. */
export const allTools: readonly AnyTool[] = [
  ...routerTools,
  findOperationTool,
  ...conversationTools,
  ...approvalTools(() => allTools),
  ...userTools,
  ...salesTools,
  ...orderTools,
  ...crmTools,
  ...inventoryTools,
  ...invoiceTools,
  ...ledgerTools,
  ...financeReportTools,
  ...analyticsTools,
  ...ragTools,
];

/**
 * What discover mode lists besides call_operation: who am I (and which tools exist), and the search
 * for the tool a task needs. Everything else, the audit log too, is reached through call_operation:
 * each listed tool costs every role its schemas in the model's context on every turn.
 */
export const discoveryTools: ReadonlySet<AnyTool> = new Set([whoami, findOperationTool]);

/** The router toolset is always on: without whoami and the audit tools a client is blind. */
export function selectTools(toolsets: readonly Toolset[]): AnyTool[] {
  const wanted = new Set<Toolset>(['router', ...toolsets]);
  return allTools.filter((t) => wanted.has(t.toolset));
}

/**
 * tools/list: every tool the user may call, or in discover mode only whoami, find_operation and
 * call_operation, which runs the rest — under a tenth of the size, for hosts that put every schema
 * into the model's context or cap the number of tools. Tools left out of the list still answer a
 * direct tools/call: the list is a menu, not a permission.
 */
export function listedTools(callable: readonly AnyTool[], mode: ToolMode): Tool[] {
  if (mode === 'full') return callable.map(describe);
  return [...callable.filter((t) => discoveryTools.has(t)).map(describe), callOperationEntry];
}
