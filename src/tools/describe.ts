// A tool's tools/list entry: zod schemas as JSON Schema, converted once per process (the HTTP
// transport builds a server per request).
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { AnyTool } from './define.js';

const described = new WeakMap<AnyTool, Tool>();

/** The tools/list entry of a tool, converted from zod once per process (HTTP builds a server per request). */
export function describe(tool: AnyTool): Tool {
  const cached = described.get(tool);
  if (cached) return cached;
  const entry: Tool = {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: 'input', target: 'draft-7' }) as Tool['inputSchema'],
    outputSchema: z.toJSONSchema(tool.output, { io: 'output', target: 'draft-7' }) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
  };
  described.set(tool, entry);
  return entry;
}

