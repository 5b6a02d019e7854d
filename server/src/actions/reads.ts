// Read state: marking channels and threads read, following threads, and the per-user
// count updates that only the server can compute (after deletes and edits).
import type { MyChannel, ThreadSummary } from '@parley/protocol';
import { AppError } from '../errors.js';
import { presentMyChannel } from '../presenters/channel.js';
import { loadAttachments, presentThread } from '../presenters/message.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import * as threads from '../store/threads.js';
import type { Db } from '../store/db.js';
import type { EventQueue } from '../events/queue.js';
import type { Actor } from '../policies/channels.js';
import { accessChannel, accessMessage } from './access.js';
import { transact, type Deps } from './context.js';

function readEvent(c: MyChannel) {
  return {
    channelId: c.id, lastReadMessageId: c.lastReadMessageId, lastReadSeq: c.lastReadSeq,
    unreadCount: c.unreadCount, mentionCount: c.mentionCount,
  };
}

/** Fresh counts to the given members for whom the message at `seq` was unread. */
export async function recountChannelReads(tx: Db, events: EventQueue, channelId: string, userIds: readonly string[], seq: number): Promise<void> {
  for (const row of await channels.countsForMembers(tx, channelId, userIds)) {
    if (row.last_read_seq < seq) events.toUsers('read.updated', readEvent(presentMyChannel(row)), [row.user_id]);
  }
}

async function threadSummaries(tx: Db, rootId: string, userIds: readonly string[]): Promise<Array<{ userId: string; thread: ThreadSummary }>> {
  const rows = await threads.threadStateFor(tx, rootId, userIds);
  if (rows.length === 0) return [];
  const { reactions, files, previews } = await loadAttachments(tx, [rootId]);
  return rows.map((r) => ({
    userId: (r as unknown as { follower_id: string }).follower_id,
    thread: presentThread(r, reactions.get(rootId), files.get(rootId), previews.get(rootId)),
  }));
}

/** Each user's own view of the thread, to that user (after they started or stopped following). */
export async function announceThreadState(tx: Db, events: EventQueue, rootId: string, userIds: readonly string[]): Promise<void> {
  for (const { userId, thread } of await threadSummaries(tx, rootId, userIds)) events.toUsers('thread.updated', { thread }, [userId]);
}

export async function recountThreadReads(tx: Db, events: EventQueue, rootId: string, userIds: readonly string[], seq: number): Promise<void> {
  for (const { userId, thread } of await threadSummaries(tx, rootId, userIds)) {
    if (thread.lastReadSeq < seq) events.toUsers('thread.updated', { thread }, [userId]);
  }
}

/** Marks the channel read up to a message (or to its newest message), on all the user's devices. */
export async function doMarkChannelRead(deps: Deps, actor: Actor, channelId: string, messageId: string | undefined): Promise<MyChannel> {
  return transact(deps, async (tx, events) => {
    await accessChannel(tx, actor, channelId, 'interact');
    let target: { id: string; seq: number } | undefined;
    if (messageId) {
      const m = await messages.findMessage(tx, messageId);
      if (!m || m.channel_id !== channelId || m.thread_root_id) {
        throw new AppError(400, 'invalid_request', 'messageId must be a top-level message of this channel.');
      }
      target = m;
    } else target = await channels.latestTopLevel(tx, channelId);
    await channels.setReadState(tx, channelId, actor.id, target?.seq ?? 0, target?.id ?? null);
    const mine = presentMyChannel((await channels.listMyChannels(tx, actor.id, channelId))[0]!);
    events.toUsers('read.updated', readEvent(mine), [actor.id]);
    return mine;
  });
}

export async function doMarkThreadRead(deps: Deps, actor: Actor, rootId: string): Promise<ThreadSummary> {
  return transact(deps, async (tx, events) => {
    const { message: root } = await accessMessage(tx, actor, rootId, 'interact', { allowDeleted: true });
    if (root.thread_root_id) throw new AppError(400, 'invalid_request', 'That message is a reply; use its thread root.');
    const existing = await threads.findFollow(tx, rootId, actor.id);
    let thread: ThreadSummary;
    if (existing) {
      await threads.setThreadRead(tx, rootId, actor.id, root.reply_seq);
      thread = (await threadSummaries(tx, rootId, [actor.id]))[0]!.thread;
    } else {
      // Nothing to store for a thread one does not follow: a row with following=false would read as
      // an explicit unfollow, and a later reply or mention would no longer make one follow it.
      const { reactions, files, previews } = await loadAttachments(tx, [rootId]);
      thread = presentThread({ ...root, following: false, last_read_seq_f: root.reply_seq, unread_replies: 0, mention_count_f: 0 },
        reactions.get(rootId), files.get(rootId), previews.get(rootId));
    }
    events.toUsers('thread.updated', { thread }, [actor.id]);
    return thread;
  });
}

export async function doSetFollowing(deps: Deps, actor: Actor, rootId: string, following: boolean): Promise<ThreadSummary> {
  return transact(deps, async (tx, events) => {
    const { message: root } = await accessMessage(tx, actor, rootId, 'interact', { allowDeleted: true });
    if (root.thread_root_id) throw new AppError(400, 'invalid_request', 'That message is a reply; use its thread root.');
    // Following from now on: replies already there count as read.
    await threads.setFollowing(tx, rootId, actor.id, following, root.reply_seq);
    const [summary] = await threadSummaries(tx, rootId, [actor.id]);
    events.toUsers('thread.updated', { thread: summary!.thread }, [actor.id]);
    return summary!.thread;
  });
}

export async function listThreads(deps: Deps, actor: Actor, limit: number): Promise<ThreadSummary[]> {
  const rows = await threads.listThreads(deps.db, actor.id, { limit });
  const { reactions, files, previews } = await loadAttachments(deps.db, rows.map((r) => r.id));
  return rows.map((r) => presentThread(r, reactions.get(r.id), files.get(r.id), previews.get(r.id)));
}
