// Who may see and contact whom. Members and admins may reach everyone; a guest only the
// people who share a channel with them (a channel they were added to, DMs aside).
import { AppError } from '../errors.js';
import type { Actor } from './channels.js';

/** `sharesChannel(id)` tells whether the actor and that person are both in some public or private channel. */
export function checkOpenDm(actor: Actor, others: readonly string[], sharesChannel: (id: string) => boolean): string | null {
  if (actor.role !== 'guest') return null;
  const outside = others.filter((id) => id !== actor.id && !sharesChannel(id));
  return outside.length ? 'Guests can message only people who share a channel with them.' : null;
}

export function authorizeOpenDm(actor: Actor, others: readonly string[], sharesChannel: (id: string) => boolean): void {
  const reason = checkOpenDm(actor, others, sharesChannel);
  if (reason) throw new AppError(403, 'guest_restricted', reason);
}

/** Whether the actor may look this person up; a guest sees themself and the people they share a channel with. */
export function canSeePerson(actor: Actor, personId: string, sharesChannel: boolean): boolean {
  return actor.role !== 'guest' || personId === actor.id || sharesChannel;
}
