// Tools ask the one role table (domain/platform/roles.ts) with what they declare about themselves.
import { mayCall } from '../domain/platform/roles.js';
import type { Role } from '../domain/platform/users.js';
import type { AnyTool } from './define.js';

export function canCall(role: Role, tool: AnyTool): boolean {
  return mayCall(role, { toolset: tool.toolset, readOnly: tool.annotations.readOnlyHint, roles: tool.roles });
}
