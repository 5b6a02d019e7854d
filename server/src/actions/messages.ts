// Posting, editing, deleting and reading messages. Posting claims the next seq under the
// channel's row lock, so seqs are dense and ordered, and unread counts are index ranges.
import type { Message, MessageVersion } from '@parley/protocol';
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { authorizeMessage } from '../policies/messages.js';
import type { Actor } from '../policies/channels.js';
import { presentMessage, presentMessages, presentOne } from '../presenters/message.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import * as threads from '../store/threads.js';
import type { ChannelWithMembership } from '../store/channels.js';
import type { Db } from '../store/db.js';
import type { MessageRow } from '../store/schema.js';
import type { EventQueue } from '../events/queue.js';
import { accessChannel, accessMessage } from './access.js';
import { parseMentions } from './mentions.js';
import { checkText } from './validate.js';
import { announceThreadState, recountChannelReads, recountThreadReads } from './reads.js';
import { transact, type Deps } from './context.js';
import { audit, type AuditActor, type AuditClient } from './audit.js';
import { dropPreviewsExcept, linksOf, schedulePreviews } from './previews.js';
import { attachUploads, detachDeleted, hasFiles, purgeStored } from './files.js';

export interface PostInput {
  text: string;
  threadRootId?: string | null;
  clientId?: string | null;
  confirmChannelMention?: boolean;
  /** The poster's own unattached uploads to share with the message (then the text may be empty). */
  fileIds?: string[];
}

/** Mentioned usernames resolved to members of the channel (only they can read the message). */
async function resolveMentions(db: Db, channelId: string, text: string) {
  const parsed = parseMentions(text);
  let ids: string[] = [];
  if (parsed.usernames.length > 0) {
    const rows = await db.selectFrom('users as u')
      .innerJoin('channel_members as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.channel_id', '=', channelId))
      .select('u.id').where(sql`lower(u.username)`, 'in', parsed.usernames).where('u.deactivated', '=', false).execute();
    ids = rows.map((r) => r.id).sort();
  }
  return { ids, broadcast: parsed.broadcast };
}

function checkBroadcast(deps: Deps, c: ChannelWithMembership, broadcast: string | null, confirmed: boolean | undefined): void {
  if (broadcast && !confirmed && c.member_count > deps.config.channelMentionConfirmThreshold) {
    throw new AppError(400, 'confirm_channel_mention',
      `@${broadcast} will notify ${c.member_count} people; send again with confirmChannelMention: true to confirm.`);
  }
}

export async function doPostMessage(deps: Deps, actor: Actor, channelId: string, input: PostInput): Promise<{ message: Message; created: boolean }> {
  const fileIds = input.fileIds ?? [];
  checkText(input.text, deps.config.maxMessageLength, { allowEmpty: fileIds.length > 0 });
  const posted = await transact(deps, async (tx, events) => {
    if (input.clientId) {
      const prior = await messages.findByClientId(tx, actor.id, input.clientId);
      if (prior) return { message: await replay(tx, prior, channelId), created: false };
    }
    const c = await accessChannel(tx, actor, channelId, 'post');
    const root = input.threadRootId ? await threadRoot(tx, channelId, input.threadRootId) : null;
    const mentions = await resolveMentions(tx, channelId, input.text);
    checkBroadcast(deps, c, mentions.broadcast, input.confirmChannelMention);
    // Every read happens before the row that orders this channel (or thread) is locked.
    const members = await channels.memberIds(tx, channelId);
    const now = new Date();
    const fields = {
      id: newId(), channel_id: channelId, user_id: actor.id, text: input.text, created_at: now,
      mentions: mentions.ids, broadcast_mention: mentions.broadcast, client_id: input.clientId ?? null,
    };
    const row = root
      ? await messages.insertMessage(tx, { ...fields, thread_root_id: root.id, seq: await messages.bumpReply(tx, root.id, now) })
      : await messages.insertTopLevel(tx, fields);
    if (!row) {
      // A concurrent retry with the same clientId committed first; throw away this attempt.
      throw new RetryWithExisting();
    }
    const attached = await attachUploads(tx, actor, fileIds, row.id, channelId);
    const message = presentMessage(row, [], attached);
    events.toUsers('message.created', { message }, members);
    if (root) {
      // Only people who can see the channel follow its threads (the root's author may have left it).
      const mayFollow = (u: string) => c.kind === 'public' || members.includes(u);
      const newFollowers = await threads.autoFollow(tx, root.id, [...new Set([actor.id, root.user_id, ...mentions.ids])].filter(mayFollow), null);
      await threads.setThreadRead(tx, root.id, actor.id, row.seq);
      await announceThreadState(tx, events, root.id, newFollowers);
    }
    return { message, created: true };
  }).catch(async (err) => {
    if (!(err instanceof RetryWithExisting)) throw err;
    const prior = (await messages.findByClientId(deps.db, actor.id, input.clientId!))!;
    return { message: await replay(deps.db, prior, channelId), created: false };
  });
  if (posted.created) schedulePreviews(deps, posted.message);
  return posted;
}

class RetryWithExisting extends Error {}

async function replay(db: Db, prior: MessageRow, channelId: string): Promise<Message> {
  if (prior.channel_id !== channelId) {
    throw new AppError(409, 'client_id_conflict', 'This clientId was already used for a message in another channel.');
  }
  return presentOne(db, prior);
}

async function threadRoot(db: Db, channelId: string, rootId: string): Promise<MessageRow> {
  const root = await messages.findMessage(db, rootId, { forUpdate: true });
  if (!root || root.channel_id !== channelId) throw new AppError(404, 'not_found', 'The thread root was not found in this channel.');
  if (root.thread_root_id) throw new AppError(400, 'invalid_request', 'Replies go to the thread root, not to another reply.');
  if (root.deleted_at) throw new AppError(404, 'not_found', 'The thread root was deleted.');
  return root;
}

export async function doEditMessage(deps: Deps, actor: Actor, id: string, text: string): Promise<Message> {
  // Empty text is fine for a message that carries files; that is known once it is loaded.
  checkText(text, deps.config.maxMessageLength, { allowEmpty: true });
  const edited = await transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, id, 'view', { forUpdate: true });
    authorizeMessage(actor, c, m, 'edit');
    if (!(await hasFiles(tx, m.id))) checkText(text, deps.config.maxMessageLength);
    if (m.text === text) return presentOne(tx, m);
    const mentions = await resolveMentions(tx, c.id, text);
    const now = new Date();
    await messages.insertVersion(tx, { id: newId(), message_id: m.id, text: m.text, created_at: m.edited_at ?? m.created_at });
    const row = await messages.updateMessage(tx, m.id, {
      text, edited_at: now, mentions: mentions.ids, broadcast_mention: mentions.broadcast,
    });
    await dropPreviewsExcept(deps, tx, events, m.id, linksOf(deps, text));
    const message = await presentOne(tx, row);
    events.toUsers('message.updated', { message }, await channels.memberIds(tx, c.id));
    await recountAfterChange(tx, events, m, row);
    return message;
  });
  schedulePreviews(deps, edited);
  return edited;
}

/** Mentions changed or a message vanished: send fresh counts to exactly the users whose counts moved. */
async function recountAfterChange(tx: Db, events: EventQueue, before: MessageRow, after: MessageRow): Promise<void> {
  const mentioned = (r: MessageRow) => new Set(r.deleted_at ? [] : r.mentions);
  const a = mentioned(before);
  const b = mentioned(after);
  const deleted = after.deleted_at !== null;
  const broadcastBefore = before.broadcast_mention !== null;
  const broadcastAfter = !deleted && after.broadcast_mention !== null;
  let affected: string[];
  if (deleted || broadcastBefore !== broadcastAfter) affected = await channels.memberIds(tx, before.channel_id);
  else affected = [...a, ...b].filter((u) => a.has(u) !== b.has(u));
  affected = affected.filter((u) => u !== before.user_id);
  if (before.thread_root_id) {
    const followers = new Set(await threads.followerIds(tx, before.thread_root_id));
    if (!deleted) {
      const added = await threads.autoFollow(tx, before.thread_root_id, [...b].filter((u) => !a.has(u)), null);
      await announceThreadState(tx, events, before.thread_root_id, added);
      added.forEach((u) => followers.add(u));
    }
    await recountThreadReads(tx, events, before.thread_root_id, affected.filter((u) => followers.has(u)), before.seq);
  } else {
    await recountChannelReads(tx, events, before.channel_id, affected, before.seq);
  }
}

export async function doDeleteMessage(deps: Deps, actor: Actor & AuditActor, id: string, client: AuditClient): Promise<void> {
  const filesGone = await transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, id, 'view', { forUpdate: true });
    authorizeMessage(actor, c, m, 'delete');
    const row = await messages.updateMessage(tx, m.id, {
      deleted_at: new Date(), text: '', mentions: [], broadcast_mention: null, pinned_at: null, pinned_by: null,
    });
    await messages.deleteReactions(tx, m.id);
    await messages.deleteVersions(tx, m.id);
    if (m.thread_root_id) await messages.dropReplyCount(tx, m.thread_root_id);
    const filesGone = await detachDeleted(tx, m.id);
    await dropPreviewsExcept(deps, tx, events, m.id, []); // and the stored preview images
    events.toUsers('message.deleted', { message: presentMessage(row) }, await channels.memberIds(tx, c.id));
    await recountAfterChange(tx, events, m, row);
    // Recorded for moderation and for the mass-deletion alert (security/anomalies.ts); never the text.
    await audit({ deps, tx, events, by: actor, client }, 'message.deleted', { type: 'message', id: m.id },
      { channelId: c.id, authorId: m.user_id, byAuthor: m.user_id === actor.id });
    return filesGone;
  });
  await purgeStored(deps, filesGone);
}

export async function getMessage(deps: Deps, actor: Actor, id: string): Promise<Message> {
  const { message } = await accessMessage(deps.db, actor, id, 'view', { allowDeleted: true });
  return presentOne(deps.db, message);
}

export async function listVersions(deps: Deps, actor: Actor, id: string): Promise<MessageVersion[]> {
  const { message, channel } = await accessMessage(deps.db, actor, id, 'view');
  authorizeMessage(actor, channel, message, 'history');
  const rows = await messages.listVersions(deps.db, id);
  return rows.map((r) => ({ text: r.text, createdAt: r.created_at.toISOString() }));
}

async function seqOf(db: Db, channelId: string, messageId: string, param: string): Promise<number> {
  const m = await messages.findMessage(db, messageId);
  if (!m || m.channel_id !== channelId || m.thread_root_id) {
    throw new AppError(400, 'invalid_request', `${param} must be a top-level message of this channel.`);
  }
  return m.seq;
}

export interface MessagePage {
  messages: Message[];
  /** More messages exist in the direction of the request (older for before/newest, newer for after). */
  hasMore: boolean;
  hasOlder: boolean;
  hasNewer: boolean;
}

/** History pages: the newest by default, before or after a message, or around one (permalinks). */
export async function listChannelMessages(deps: Deps, actor: Actor, channelId: string,
  page: { before?: string; after?: string; around?: string; limit: number }): Promise<MessagePage> {
  if ([page.before, page.after, page.around].filter(Boolean).length > 1) {
    throw new AppError(400, 'invalid_request', 'Use one of before, after or around.');
  }
  await accessChannel(deps.db, actor, channelId, 'view');
  if (page.around) {
    const seq = await seqOf(deps.db, channelId, page.around, 'around');
    const older = await messages.listTopLevel(deps.db, channelId, { beforeSeq: seq + 1, limit: Math.ceil(page.limit / 2) });
    const newer = await messages.listTopLevel(deps.db, channelId, { afterSeq: seq, limit: Math.floor(page.limit / 2) });
    const rows = [...older.rows, ...newer.rows];
    return { messages: await presentMessages(deps.db, rows), hasMore: older.hasMore, hasOlder: older.hasMore, hasNewer: newer.hasMore };
  }
  const beforeSeq = page.before ? await seqOf(deps.db, channelId, page.before, 'before') : undefined;
  const afterSeq = page.after ? await seqOf(deps.db, channelId, page.after, 'after') : undefined;
  const { rows, hasMore } = await messages.listTopLevel(deps.db, channelId, { beforeSeq, afterSeq, limit: page.limit });
  const forward = afterSeq !== undefined;
  return {
    messages: await presentMessages(deps.db, rows),
    hasMore,
    hasOlder: forward ? true : hasMore,
    hasNewer: forward ? hasMore : beforeSeq !== undefined,
  };
}

export async function getThread(deps: Deps, actor: Actor, rootId: string, limit: number): Promise<{ root: Message; replies: Message[] }> {
  const { message: root } = await accessMessage(deps.db, actor, rootId, 'view', { allowDeleted: true });
  if (root.thread_root_id) throw new AppError(400, 'invalid_request', 'That message is a reply; open its thread root.');
  const replies = await messages.listReplies(deps.db, rootId, limit);
  const all = await presentMessages(deps.db, [root, ...replies]);
  return { root: all[0]!, replies: all.slice(1) };
}

export async function listPins(deps: Deps, actor: Actor, channelId: string): Promise<Message[]> {
  await accessChannel(deps.db, actor, channelId, 'view');
  return presentMessages(deps.db, await messages.listPinned(deps.db, channelId));
}

export async function doSetPinned(deps: Deps, actor: Actor, id: string, pinned: boolean): Promise<Message> {
  return transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, id, 'interact', { forUpdate: true });
    if (c.archived) throw new AppError(403, 'channel_archived', 'This channel is archived.');
    if ((m.pinned_at !== null) === pinned) return presentOne(tx, m);
    const row = await messages.updateMessage(tx, id, pinned ? { pinned_at: new Date(), pinned_by: actor.id } : { pinned_at: null, pinned_by: null });
    const message = await presentOne(tx, row);
    events.toUsers('message.updated', { message }, await channels.memberIds(tx, c.id));
    return message;
  });
}

