// The one role table: who may call which tools, read which resources and get which prompts.
// tools/list is filtered with it, and the gate (src/gate.ts) checks every request against it again.
// A read-only credential (User.readOnly) keeps only the role's read-only part.
import type { Role, User } from './users.js';

export const TOOLSETS = ['router', 'sales', 'inventory', 'finance', 'analytics', 'rag'] as const;
export type Toolset = (typeof TOOLSETS)[number];

interface Grant {
  /** Toolsets whose tools, including writes, the role may call. */
  write: readonly Toolset[];
  /** Toolsets whose read-only tools, resources and prompts the role may use. */
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

/** What a tool declares about itself that the table needs. */
export interface Callable {
  toolset: Toolset;
  readOnly: boolean;
  /** Narrows who may call it below what the table allows for its toolset. */
  roles?: readonly Role[];
}

/** Who asks: a role, narrowed to reads when the request's credential allows only reads. */
export type Grantee = Pick<User, 'role' | 'readOnly'>;

export function mayCall({ role, readOnly }: Grantee, tool: Callable): boolean {
  if (tool.roles && !tool.roles.includes(role)) return false;
  if (readOnly && !tool.readOnly) return false;
  const grant = ROLE_MATRIX[role];
  return grant.write.includes(tool.toolset) || (tool.readOnly && grant.read.includes(tool.toolset));
}

/** Reading a record of a toolset (a resource, the data behind a prompt) is a read-only call. */
export const mayRead = (role: Role, toolset: Toolset): boolean => mayCall({ role }, { toolset, readOnly: true });

/**
 * Prompts start from live data, and some walk the user through changes: each needs what its task
 * needs — a briefing reads sales data; closing a month writes finance (invoices, the lock date).
 */
const PROMPT_NEEDS: Record<string, Callable> = {
  customer_briefing: { toolset: 'sales', readOnly: true },
  month_end_close: { toolset: 'finance', readOnly: false },
};

export const mayUsePrompt = (who: Grantee, prompt: string): boolean =>
  Object.hasOwn(PROMPT_NEEDS, prompt) && mayCall(who, PROMPT_NEEDS[prompt]!);
