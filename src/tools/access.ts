// The role × toolset matrix: who may call what. tools/list is filtered with it and every call
// is checked against it again on the server.
import type { Role } from '../domain/platform/users.js';
import { TOOLSETS, type AnyTool, type Toolset } from './define.js';

interface Grant {
  /** Toolsets whose tools, including writes, the role may call. */
  write: readonly Toolset[];
  /** Toolsets whose read-only tools the role may call. */
  read: readonly Toolset[];
}

export const ROLE_MATRIX: Record<Role, Grant> = {
  admin: { write: TOOLSETS, read: TOOLSETS },
  sales: { write: ['router', 'sales', 'rag'], read: ['inventory', 'analytics'] },
  finance: { write: ['router', 'finance', 'rag'], read: ['sales', 'inventory', 'analytics'] },
  inventory: { write: ['router', 'inventory', 'rag'], read: ['sales', 'analytics'] },
  analyst: { write: ['router'], read: ['sales', 'inventory', 'finance', 'analytics', 'rag'] },
  viewer: { write: ['router'], read: ['sales', 'inventory', 'finance', 'rag'] },
};

export function canCall(role: Role, tool: AnyTool): boolean {
  if (tool.roles && !tool.roles.includes(role)) return false;
  const grant = ROLE_MATRIX[role];
  if (grant.write.includes(tool.toolset)) return true;
  return tool.annotations.readOnlyHint && grant.read.includes(tool.toolset);
}
