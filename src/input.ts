// How a client's bad arguments are told back: one line naming the first offending argument, the
// same for tools/call, call_operation, decide_approval's stored calls and prompts/get.
import type { z } from 'zod';

/** One line naming the first offending argument, e.g. `name: name must not be empty` (`arguments.name: …` under a prefix). */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix || 'arguments'} are invalid`;
  const where = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
  const path = where.length ? `${where.join('.')}: ` : '';
  const more =
    error.issues.length > 1
      ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})`
      : '';
  return `${path}${issue.message}${more}`.replace(/\s+/g, ' ');
}
