// Vocabulary of the router toolset: identity, audit, conversations, approvals, users.
import type { VocabularyTable } from './types.js';

export const routerVocabulary: VocabularyTable = {
  whoami: {
    synonyms: ['what can i do in this system', 'allowed', 'my rights', 'signed in', 'my account', 'my role', 'my permissions', 'logged in as', 'current user', 'access rights', 'what can i do', 'capabilities', 'my profile'],
    examples: ['who am i logged in as', 'what am i allowed to do here', 'which tools can i use', 'show my role and permissions'],
    questions: ['who am i?', 'what is my role?', 'what permissions do i have?', 'which toolsets are enabled for me?'],
  },
  list_tool_calls: {
    synonyms: ['audit log', 'audit trail', 'activity log', 'history of calls', 'who did what', 'usage log', 'recent activity', 'errors log', 'call history'],
    examples: ['show the audit trail for yesterday', 'who changed things today', 'list failed tool calls', 'what did bob do this week', 'recent activity by user 3'],
    questions: ['who called create_invoice?', 'what happened in the system today?', 'which calls failed?', 'who did that change?'],
  },
  verify_audit_log: {
    synonyms: ['tamper check', 'integrity of the audit log', 'hash chain', 'audit tampering', 'log manipulated', 'verify audit trail', 'fiddled', 'fiddling', 'altered', 'doctored', 'tampered', 'messed with', 'edited history', 'activity history changed', 'records changed behind our back'],
    examples: ['check nobody tampered with the audit log', 'has the log been edited', 'prove the audit trail is intact'],
    questions: ['is the audit log intact?', 'was the audit trail tampered with?', 'has anyone changed the history?', 'can we trust the activity log?'],
  },
  start_conversation: {
    synonyms: ['new conversation', 'new chat', 'open a thread', 'begin session', 'new discussion'],
    examples: ['start a new conversation', 'open a chat thread to track this work', 'begin a conversation for this customer case'],
    questions: [],
  },
  add_message: {
    synonyms: ['post message', 'append note to conversation', 'write in chat', 'log a message', 'reply in thread'],
    examples: ['add a message to conversation 4', 'note in the chat that the customer called', 'append my reply to the thread'],
    questions: [],
  },
  get_conversation: {
    synonyms: ['conversation history', 'chat transcript', 'thread messages', 'read conversation'],
    examples: ['show conversation 7', 'read the messages in that chat', 'what was said in the thread'],
    questions: ['what was said in conversation 3?'],
  },
  list_approval_policies: {
    synonyms: ['approval rules', 'approval thresholds', 'four eyes rules', 'sign off rules', 'what needs approval', 'approval limits', 'dual control'],
    examples: ['which actions need a second approval', 'what is the approval threshold', 'when does a credit note need sign off'],
    questions: ['what needs approval?', 'above which amount is approval required?', 'which actions need four eyes?'],
  },
  list_approvals: {
    synonyms: ['approval requests', 'pending approvals', 'approvals inbox', 'waiting for sign off', 'approval queue', 'requests to approve'],
    examples: ['show pending approvals', 'anything waiting for my sign off', 'list rejected approval requests', 'what is in the approvals inbox'],
    questions: ['what is waiting for approval?', 'which requests were rejected?', 'do i have anything to approve?'],
  },
  get_approval: {
    synonyms: ['approval request details', 'approval status', 'one approval'],
    examples: ['show approval 12', 'what does approval request 5 change', 'status of my approval request'],
    questions: ['was my request approved?', 'what would approval 9 do?'],
  },
  decide_approval: {
    synonyms: ['approve', 'reject', 'sign off', 'authorise', 'authorize', 'decline request', 'accept request', 'grant approval', 'deny'],
    examples: ['approve request 12', 'reject the pending credit note', 'sign off the stock write off', 'authorise the journal entry waiting for me'],
    questions: [],
  },
  list_users: {
    synonyms: ['users', 'staff', 'employees', 'team members', 'accounts', 'colleagues', 'people with access', 'logins'],
    examples: ['list all users', 'who has access to the erp', 'show disabled accounts', 'which staff are admins'],
    questions: ['who are our users?', 'who has admin rights?', 'which accounts are disabled?'],
  },
  create_user: {
    synonyms: ['new hire', 'new starter', 'account for new staff member', 'user account', 'add user', 'new employee access', 'onboard staff', 'new login', 'invite colleague', 'create account for'],
    examples: ['add a new user for jane in sales', 'give our new accountant a login', 'onboard a new warehouse employee'],
    questions: [],
  },
  set_user_role: {
    synonyms: ['change role', 'promote', 'demote', 'make admin', 'permissions change', 'grant access', 'change access level'],
    examples: ['make anna an admin', 'move bob to the finance role', 'demote user 4 to viewer', 'change permissions for sam'],
    questions: [],
  },
  disable_user: {
    synonyms: ['quit', 'left the company', 'cut off access', 'fired', 'leaver', 'deactivate user', 'block user', 'revoke access', 'offboard', 'lock out', 'remove access', 'suspend account', 'employee left'],
    examples: ['disable the account of the person who left', 'revoke bob\'s access', 'block user 7 from logging in', 'offboard jane'],
    questions: [],
  },
  enable_user: {
    synonyms: ['let back in', 'rehired', 'came back', 'returning employee', 'restore login', 'reactivate user', 'unblock user', 'restore access', 'unlock account', 'reenable'],
    examples: ['enable bob again', 'restore access for user 7', 'reactivate the suspended account'],
    questions: [],
  },
};
