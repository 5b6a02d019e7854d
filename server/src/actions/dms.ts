// Direct messages and group DMs: the same set of people always finds the same channel.
import type { MyChannel } from '@parley/protocol';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { presentChannel, presentMyChannel } from '../presenters/channel.js';
import * as channels from '../store/channels.js';
import * as users from '../store/users.js';
import type { Actor } from '../policies/channels.js';
import { authorizeOpenDm } from '../policies/people.js';
import { peersAmong } from '../store/people.js';
import { isUniqueViolation, transact, type Deps } from './context.js';

export const MAX_GROUP = 8;

export async function doOpenDm(deps: Deps, actor: Actor, userIds: string[]): Promise<{ channel: MyChannel; created: boolean }> {
  const people = [...new Set([actor.id, ...userIds])].sort();
  if (people.length > MAX_GROUP) {
    throw new AppError(400, 'invalid_dm', `A group DM holds at most ${MAX_GROUP} people, you included.`);
  }
  const found = await users.findUsersByIds(deps.db, people);
  if (found.length !== people.length) throw new AppError(404, 'not_found', 'One or more of those users do not exist.');
  if (actor.role === 'guest') {
    const peers = await peersAmong(deps.db, actor.id, people);
    authorizeOpenDm(actor, people, (id) => peers.has(id));
  }
  if (found.some((u) => u.deactivated && u.id !== actor.id)) {
    throw new AppError(400, 'invalid_dm', 'Deactivated users cannot receive new direct messages.');
  }
  const key = people.join(',');
  const present = async () => {
    const existing = (await channels.findByDmKey(deps.db, key))!;
    return presentMyChannel((await channels.listMyChannels(deps.db, actor.id, existing.id))[0]!);
  };
  if (await channels.findByDmKey(deps.db, key)) return { channel: await present(), created: false };
  try {
    await transact(deps, async (tx, events) => {
      const row = await channels.insertChannel(tx, {
        id: newId(), kind: people.length <= 2 ? 'dm' : 'group', name: null, created_by: actor.id, dm_key: key,
      });
      await channels.addMembers(tx, row.id, people, 'member', { seq: 0, messageId: null });
      const created = (await channels.findChannel(tx, row.id))!;
      events.toUsers('channel.created', { channel: presentChannel(created) }, people);
    });
  } catch (err) {
    // Two people opened the same DM at once: the other one won, and that is the answer.
    if (!isUniqueViolation(err)) throw err;
    return { channel: await present(), created: false };
  }
  return { channel: await present(), created: true };
}
