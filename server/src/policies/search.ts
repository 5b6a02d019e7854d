// What a search covers. It never reaches further than reading does: a search includes the
// channels the actor could open and read, which policies/channels.ts decides.
import { canSee, type Actor } from './channels.js';
import type { ChannelWithMembership } from '../store/channels.js';

/**
 * Whether the actor's searches cover public channels they have not joined. As in Slack they
 * do, for exactly the people who may open and read such a channel (canSee), so a search
 * shows nothing that browsing would not. Private channels, DMs and group DMs are searched
 * only through membership.
 */
export function searchesPublicChannels(actor: Actor): boolean {
  const publicNotJoined = { kind: 'public', member: null } as unknown as ChannelWithMembership;
  return canSee(actor, publicNotJoined);
}
