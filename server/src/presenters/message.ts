import type { FileInfo, LinkPreview, Message, Reaction, ThreadSummary } from '@parley/protocol';
import type { MessageRow } from '../store/schema.js';
import type { ThreadRow } from '../store/threads.js';
import type { Db } from '../store/db.js';
import { loadReactions } from '../store/messages.js';
import { loadFiles } from '../store/files.js';
import { loadPreviews } from '../store/previews.js';
import { presentFile } from './file.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentMessage(row: MessageRow, reactions: Reaction[] = [], files: FileInfo[] = [], previews: LinkPreview[] = []): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    channelId: row.channel_id,
    userId: row.user_id,
    // A tombstone keeps its place (and its replies) but not its words.
    text: deleted ? '' : row.text,
    threadRootId: row.thread_root_id,
    replyCount: row.reply_count,
    lastReplyAt: iso(row.last_reply_at),
    createdAt: row.created_at.toISOString(),
    editedAt: iso(row.edited_at),
    deleted,
    pinned: row.pinned_at !== null,
    reactions: deleted ? [] : reactions,
    mentions: deleted ? [] : row.mentions,
    broadcastMention: deleted ? null : row.broadcast_mention,
    clientId: row.client_id,
    seq: row.seq,
    files: deleted ? [] : files,
    previews: deleted ? [] : previews,
    // Present only on imported system, bot and broadcast messages.
    ...(row.subtype && { subtype: row.subtype }),
  };
}

/** Reactions, files and link previews of many messages, in one query each. */
export async function loadAttachments(db: Db, ids: readonly string[]): Promise<{
  reactions: Map<string, Reaction[]>; files: Map<string, FileInfo[]>; previews: Map<string, LinkPreview[]>;
}> {
  const [reactions, fileRows, previews] = await Promise.all([loadReactions(db, ids), loadFiles(db, ids), loadPreviews(db, ids)]);
  const files = new Map([...fileRows].map(([id, list]) => [id, list.map(presentFile)]));
  return { reactions, files, previews };
}

/** Presents many messages with their reactions and files in two extra queries. */
export async function presentMessages(db: Db, rows: MessageRow[]): Promise<Message[]> {
  const { reactions, files, previews } = await loadAttachments(db, rows.map((r) => r.id));
  return rows.map((r) => presentMessage(r, reactions.get(r.id), files.get(r.id), previews.get(r.id)));
}

export async function presentOne(db: Db, row: MessageRow): Promise<Message> {
  return (await presentMessages(db, [row]))[0]!;
}

export function presentThread(row: ThreadRow, reactions: Reaction[] = [], files: FileInfo[] = [], previews: LinkPreview[] = []): ThreadSummary {
  return {
    root: presentMessage(row, reactions, files, previews),
    following: row.following,
    unreadReplies: row.unread_replies,
    mentionCount: row.mention_count_f,
    lastReadSeq: row.last_read_seq_f,
  };
}
