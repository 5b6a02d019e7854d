// Mention parsing on the server: `@username`, `@channel`, `@here` (and Slack's `@everyone`
// as `@channel`). Text inside code spans and fenced blocks is not parsed, as users expect.
import type { BroadcastMention } from '@parley/protocol';

export interface ParsedMentions {
  usernames: string[];
  broadcast: BroadcastMention;
}

const CODE = /```[\s\S]*?```|`[^`\n]*`/g;
const MENTION = /(^|[^\w@/.])@([a-z0-9][a-z0-9._-]{0,31})/gi;

export function parseMentions(text: string): ParsedMentions {
  const plain = text.replace(CODE, ' ');
  const usernames = new Set<string>();
  let broadcast: BroadcastMention = null;
  for (const m of plain.matchAll(MENTION)) {
    const name = m[2]!.toLowerCase().replace(/[._-]+$/, '');
    if (name === 'channel' || name === 'everyone') broadcast = 'channel';
    else if (name === 'here') broadcast = broadcast ?? 'here';
    else usernames.add(name);
  }
  return { usernames: [...usernames], broadcast };
}
