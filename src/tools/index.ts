// The catalogue: every tool of every toolset, and the selection a server offers.
import type { AnyTool, Toolset } from './define.js';
import { analyticsTools } from './analytics.js';
import { approvalTools } from './approvals.js';
import { conversationTools } from './conversations.js';
import { crmTools } from './crm.js';
import { findOperationTool } from './find-operation.js';
import { ledgerTools } from './finance-ledger.js';
import { financeReportTools } from './finance-reports.js';
import { inventoryTools } from './inventory.js';
import { invoiceTools } from './finance.js';
import { orderTools } from './orders.js';
import { ragTools } from './rag.js';
import { routerTools } from './router.js';
import { salesTools } from './sales.js';
import { userTools } from './users.js';

/** Every tool of every toolset; decide_approval runs approved calls against all of them. */
export const allTools: readonly AnyTool[] = [...routerTools, findOperationTool, ...conversationTools, ...approvalTools(() => allTools), ...userTools, ...salesTools, ...orderTools, ...crmTools, ...inventoryTools, ...invoiceTools, ...ledgerTools, ...financeReportTools, ...analyticsTools, ...ragTools];

/**
 * What discover mode lists besides call_operation: who am I, the audit log, and the search for the
 * tool a task needs. The rest of the always-on router toolset (conversations, approvals, users)
 * is reached through call_operation like every other tool.
 */
export const discoveryTools: ReadonlySet<AnyTool> = new Set([...routerTools, findOperationTool]);

/** The router toolset is always on: without whoami and the audit tools a client is blind. */
export function selectTools(toolsets: readonly Toolset[]): AnyTool[] {
  const wanted = new Set<Toolset>(['router', ...toolsets]);
  return allTools.filter((t) => wanted.has(t.toolset));
}
