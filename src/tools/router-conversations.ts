// router toolset: conversations and messages (chat memory that outlives a client session).
import { z } from 'zod';
import { addMessage, getConversation, startConversation } from '../domain/platform/conversations.js';
import { defineTool } from './define.js';
import { id, pageInput, text, timestamp } from './schemas.js';

const conversation = z.object({ id: z.number().int(), user_id: z.number().int().nullable(), started_at: timestamp });
const message = z.object({ id: z.number().int(), sender: z.string(), content: z.string(), created_at: timestamp });
const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false } as const;

export const startConversationTool = defineTool({
  name: 'start_conversation',
  title: 'Start conversation',
  description:
    'Starts a persistent conversation (for you, or — admins only — for user_id). Pass its id as _meta["erp-mcp/conversation_id"] on later tool calls to link them to it in the audit log.',
  toolset: 'router',
  input: z.strictObject({ user_id: id().optional() }),
  output: conversation,
  annotations: write,
  summary: (c) => `Started conversation ${c.id}`,
  run: (ctx, input) => startConversation(ctx.tx, ctx.user, input.user_id),
});

export const addMessageTool = defineTool({
  name: 'add_message',
  title: 'Add message',
  description: 'Appends a message to a conversation; sender is free text such as "user", "assistant" or an agent name.',
  toolset: 'router',
  input: z.strictObject({ conversation_id: id(), sender: text(50, 'sender'), content: text(100_000, 'content') }),
  output: message.extend({ conversation_id: z.number().int() }),
  annotations: write,
  summary: (m) => `Added message ${m.id} to conversation ${m.conversation_id}`,
  run: async (ctx, input) => ({
    conversation_id: input.conversation_id,
    ...(await addMessage(ctx.tx, ctx.user, input.conversation_id, input.sender, input.content)),
  }),
});

export const getConversationTool = defineTool({
  name: 'get_conversation',
  title: 'Get conversation',
  description:
    'Shows a conversation and its messages, oldest first. Paginated. Conversations are private: only their owner and admins may read them (FORBIDDEN otherwise).',
  toolset: 'router',
  input: z.strictObject({ conversation_id: id(), ...pageInput }),
  output: conversation.extend({ items: z.array(message), next_cursor: z.string().nullable() }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  summary: (c) => `Conversation ${c.id}: ${c.items.length} message(s)${c.next_cursor ? ', more available' : ''}`,
  run: (ctx, input) => getConversation(ctx.tx, ctx.user, input.conversation_id, input),
});

export const conversationTools = [startConversationTool, addMessageTool, getConversationTool];
