// Announcements shared by several actions.
import { presentUser } from '../presenters/user.js';
import { activeAdminIds } from '../store/alerts.js';
import type { Db } from '../store/db.js';
import type { UserRow } from '../store/schema.js';
import type { EventQueue } from '../events/queue.js';

/**
 * Queues user.updated for `row` in its two views: with the email to the user and to the admins'
 * connections that carry admin rights, without it to every other connection (an admin outside
 * PARLEY_ADMIN_ALLOWLIST or on a token without the admin scope gets the member view).
 */
export function queueUserUpdated(events: EventQueue, row: UserRow, adminIds: readonly string[]): void {
  const full = { user: presentUser(row, row) };
  const admins = adminIds.filter((id) => id !== row.id);
  events.toUsers('user.updated', full, [row.id]);
  events.toAdmins('user.updated', full, admins);
  events.emit('user.updated', { user: presentUser(row, null) }, { everyone: true, except: [row.id], exceptAdminRightsOf: admins });
}

/** A user's profile changed (or the user is new): announced to everyone, email to the user and admins only. */
export async function announceUser(tx: Db, events: EventQueue, row: UserRow): Promise<void> {
  queueUserUpdated(events, row, await activeAdminIds(tx));
}
