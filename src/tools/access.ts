// Tools ask the one role table (domain/platform/roles.ts) with what they declare about themselves.
import { mayCall, type Grantee } from '../domain/platform/roles.js';
import type { AnyTool } from './define.js';

export function canCall(who: Grantee, tool: AnyTool): boolean {
  return mayCall(who, { toolset: tool.toolset, readOnly: tool.annotations.readOnlyHint, roles: tool.roles });
}

/** Why canCall said no, in one line: the role, or a read-only credential in front of a write. */
export function whyNot(who: Grantee, tool: AnyTool): string {
  return who.readOnly && canCall({ role: who.role }, tool)
    ? `${tool.name} changes data, and this connection's token allows reads only (scope erp:read); sign in again granting erp:write`
    : `Role ${who.role} may not call ${tool.name}`;
}
