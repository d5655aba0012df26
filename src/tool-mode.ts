// A server option, not a permission: which tools tools/list offers. Tools left out of the list
// still answer a direct tools/call (src/tools/index.ts listedTools).

/**
 * full: every tool the caller may call. discover: the router tools and call_operation, which runs
 * any of the others (src/tools/call-operation.ts), for hosts that put every tool schema into the
 * model's context or cap the number of tools.
 */
export const TOOL_MODES = ['full', 'discover'] as const;
export type ToolMode = (typeof TOOL_MODES)[number];
