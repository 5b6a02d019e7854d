// What people online during an import are told, once per committed batch (never per message:
// an export may hold millions). New accounts arrive as user.updated; each conversation the batch
// touched arrives as one channel.imported per role to its members, which adds the channel to
// their list or refreshes it, all read (everything imported counts as read), and tells the client
// that its loaded page of the channel and of the touched threads is stale.
import { EventQueue } from '../../events/queue.js';
import { presentChannel } from '../../presenters/channel.js';
import { queueUserUpdated } from '../../actions/announce.js';
import { findChannel, latestTopLevel } from '../../store/channels.js';
import { membersWithRole } from '../../store/imports.js';
import { findUsersByIds } from '../../store/users.js';
import { activeAdminIds } from '../../store/alerts.js';
import type { Db } from '../../store/db.js';
import type { ImportContext } from './context.js';

/**
 * Queues user.updated for the accounts this batch created (`ctx.newUsers` is the batch's own list:
 * a conversation written alongside keeps its own, announced after its own commit).
 */
export async function announceNewUsers(ctx: ImportContext, tx: Db, events: EventQueue): Promise<void> {
  if (ctx.dry || ctx.newUsers.length === 0) return;
  const rows = await findUsersByIds(tx, ctx.newUsers.splice(0));
  if (rows.length === 0) return;
  const admins = await activeAdminIds(tx);
  for (const row of rows) queueUserUpdated(events, row, admins);
}

/** Queues channel.imported for one conversation, as it stands in this transaction. */
export async function announceChannel(ctx: ImportContext, tx: Db, events: EventQueue, channelId: string, threadRootIds: string[]): Promise<void> {
  if (ctx.dry) return;
  const row = await findChannel(tx, channelId);
  if (!row) return;
  const members = await membersWithRole(tx, channelId);
  const latest = await latestTopLevel(tx, channelId);
  const channel = presentChannel(row);
  for (const role of ['owner', 'member'] as const) {
    const userIds = members.filter((m) => m.role === role).map((m) => m.user_id);
    events.toUsers('channel.imported', {
      channel, role, lastReadMessageId: latest?.id ?? null, lastReadSeq: latest?.seq ?? 0, threadRootIds,
    }, userIds);
  }
}
