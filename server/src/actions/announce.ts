// Announcements shared by several actions.
import { presentUser } from '../presenters/user.js';
import type { Db } from '../store/db.js';
import type { UserRow } from '../store/schema.js';
import type { EventQueue } from '../events/queue.js';

/**
 * A user's profile changed (or the user is new). The user and admins may see the email,
 * everyone else gets the same profile without it: two audiences, two serializations.
 */
export async function announceUser(tx: Db, events: EventQueue, row: UserRow): Promise<void> {
  const admins = await tx.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated', '=', false).execute();
  const full = [...new Set([row.id, ...admins.map((a) => a.id)])];
  events.toUsers('user.updated', { user: presentUser(row, row) }, full);
  events.emit('user.updated', { user: presentUser(row, null) }, { everyone: true, except: full });
}
