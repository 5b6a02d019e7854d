// Channels: create, read, update, archive, join, leave and membership.
import type { Channel, ChannelMember, MyChannel } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { presentChannel, presentMyChannel } from '../presenters/channel.js';
import * as channels from '../store/channels.js';
import * as users from '../store/users.js';
import type { Db } from '../store/db.js';
import type { EventQueue } from '../events/queue.js';
import { authorizeChannel, authorizeWorkspaceChannels, type Actor } from '../policies/channels.js';
import { accessChannel } from './access.js';
import { checkChannelName } from './validate.js';
import { isUniqueViolation, transact, type Deps } from './context.js';

const nameTaken = () => new AppError(409, 'channel_name_taken', 'A channel with that name exists.');

async function mine(db: Db, userId: string, channelId: string): Promise<MyChannel> {
  const row = (await channels.listMyChannels(db, userId, channelId))[0];
  if (!row) throw notFound('Channel');
  return presentMyChannel(row);
}

export async function listMyChannels(deps: Deps, actor: Actor): Promise<MyChannel[]> {
  return (await channels.listMyChannels(deps.db, actor.id)).map(presentMyChannel);
}

export async function browseChannels(deps: Deps, actor: Actor, query: string, limit: number): Promise<Channel[]> {
  authorizeWorkspaceChannels(actor, 'browse');
  return (await channels.browsePublic(deps.db, actor.id, query.trim().toLowerCase(), limit)).map(presentChannel);
}

/** A member sees their read state; a non-member previewing a public channel sees the channel alone. */
export async function getChannel(deps: Deps, actor: Actor, id: string): Promise<Channel | MyChannel> {
  const c = await accessChannel(deps.db, actor, id, 'view');
  return c.member ? mine(deps.db, actor.id, id) : presentChannel(c);
}

export interface NewChannel {
  name: string;
  kind: 'public' | 'private';
  topic?: string;
  purpose?: string;
}

export async function doCreateChannel(deps: Deps, actor: Actor, input: NewChannel): Promise<MyChannel> {
  authorizeWorkspaceChannels(actor, 'create');
  checkChannelName(input.name);
  return transact(deps, async (tx, events) => {
    if (await channels.nameTaken(tx, input.name)) throw nameTaken();
    const row = await channels.insertChannel(tx, {
      id: newId(), kind: input.kind, name: input.name, topic: input.topic ?? '', purpose: input.purpose ?? '', created_by: actor.id,
    });
    await channels.addMembers(tx, row.id, [actor.id], 'owner', { seq: 0, messageId: null });
    const created = (await channels.findChannel(tx, row.id))!;
    events.toUsers('channel.created', { channel: presentChannel(created) }, [actor.id]);
    return mine(tx, actor.id, row.id);
  }).catch((err) => {
    if (isUniqueViolation(err, 'channels_name_key')) throw nameTaken();
    throw err;
  });
}

export interface ChannelPatch {
  name?: string;
  topic?: string;
  purpose?: string;
  readOnly?: boolean;
}

async function announceUpdate(tx: Db, events: EventQueue, channelId: string): Promise<void> {
  const row = (await channels.findChannel(tx, channelId))!;
  events.toUsers('channel.updated', { channel: presentChannel(row) }, await channels.memberIds(tx, channelId));
}

export async function doUpdateChannel(deps: Deps, actor: Actor, id: string, patch: ChannelPatch): Promise<Channel | MyChannel> {
  await transact(deps, async (tx, events) => {
    // Topic and purpose are the members' (editInfo); name and read-only the owners' and admins' (manage),
    // who need not be members. An empty patch is checked as editInfo.
    const c = await accessChannel(tx, actor, id, 'view', { forUpdate: true });
    const manages = patch.name !== undefined || patch.readOnly !== undefined;
    if (patch.topic !== undefined || patch.purpose !== undefined || !manages) authorizeChannel(actor, c, 'editInfo');
    if (manages) authorizeChannel(actor, c, 'manage');
    if (patch.name !== undefined) {
      checkChannelName(patch.name);
      if (c.is_general && patch.name !== c.name) throw new AppError(403, 'forbidden', '#general cannot be renamed.');
      if (await channels.nameTaken(tx, patch.name, id)) throw nameTaken();
    }
    await channels.updateChannel(tx, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.topic !== undefined && { topic: patch.topic }),
      ...(patch.purpose !== undefined && { purpose: patch.purpose }),
      ...(patch.readOnly !== undefined && { read_only: patch.readOnly }),
    });
    await announceUpdate(tx, events, id);
  }).catch((err) => {
    if (isUniqueViolation(err, 'channels_name_key')) throw nameTaken();
    throw err;
  });
  return getChannel(deps, actor, id);
}

export async function doSetArchived(deps: Deps, actor: Actor, id: string, archived: boolean): Promise<Channel | MyChannel> {
  await transact(deps, async (tx, events) => {
    const c = await accessChannel(tx, actor, id, 'manage', { forUpdate: true });
    if (c.is_general) throw new AppError(403, 'forbidden', '#general cannot be archived.');
    if (c.archived === archived) return;
    await channels.updateChannel(tx, id, { archived });
    await announceUpdate(tx, events, id);
  });
  return getChannel(deps, actor, id);
}

/** Adds users (already checked) and tells every member, the new ones included. New members start fully read. */
export async function addAndAnnounce(tx: Db, events: EventQueue, channelId: string, userIds: readonly string[]): Promise<string[]> {
  const latest = await channels.latestTopLevel(tx, channelId);
  const read = { seq: latest?.seq ?? 0, messageId: latest?.id ?? null };
  const added = await channels.addMembers(tx, channelId, userIds, 'member', read);
  if (added.length === 0) return added;
  const channel = presentChannel((await channels.findChannel(tx, channelId))!);
  const everyone = await channels.memberIds(tx, channelId);
  for (const userId of added) {
    events.toUsers('channel.member_added', {
      channel, userId, role: 'member', lastReadMessageId: read.messageId, lastReadSeq: read.seq,
    }, everyone);
  }
  return added;
}

export async function doJoin(deps: Deps, actor: Actor, id: string): Promise<MyChannel> {
  return transact(deps, async (tx, events) => {
    const c = await accessChannel(tx, actor, id, 'view', { forUpdate: true });
    if (!c.member) {
      await accessChannel(tx, actor, id, 'join');
      await addAndAnnounce(tx, events, id, [actor.id]);
    }
    return mine(tx, actor.id, id);
  });
}

async function removeAndAnnounce(tx: Db, events: EventQueue, channelId: string, userId: string): Promise<void> {
  if (!(await channels.removeMember(tx, channelId, userId))) return;
  const row = (await channels.findChannel(tx, channelId))!;
  const remaining = await channels.memberIds(tx, channelId);
  events.toUsers('channel.member_removed', { channelId, userId, memberCount: row.member_count }, [...remaining, userId]);
}

export async function doLeave(deps: Deps, actor: Actor, id: string): Promise<void> {
  await transact(deps, async (tx, events) => {
    await accessChannel(tx, actor, id, 'leave', { forUpdate: true });
    await removeAndAnnounce(tx, events, id, actor.id);
  });
}

export async function doAddMembers(deps: Deps, actor: Actor, id: string, userIds: string[]): Promise<{ added: string[] }> {
  const unique = [...new Set(userIds)];
  return transact(deps, async (tx, events) => {
    await accessChannel(tx, actor, id, 'addMembers', { forUpdate: true });
    const found = await users.findUsersByIds(tx, unique);
    if (found.length !== unique.length) throw new AppError(404, 'not_found', 'One or more of those users do not exist.');
    if (found.some((u) => u.deactivated)) throw new AppError(400, 'invalid_request', 'Deactivated users cannot be added.');
    return { added: await addAndAnnounce(tx, events, id, unique) };
  });
}

export async function doRemoveMember(deps: Deps, actor: Actor, id: string, userId: string): Promise<void> {
  if (userId === actor.id) return doLeave(deps, actor, id);
  await transact(deps, async (tx, events) => {
    await accessChannel(tx, actor, id, 'removeMembers', { forUpdate: true });
    await removeAndAnnounce(tx, events, id, userId);
  });
}

export async function listMembers(deps: Deps, actor: Actor, id: string, limit: number, after: string | null): Promise<ChannelMember[]> {
  await accessChannel(deps.db, actor, id, 'view');
  const rows = await channels.listMembers(deps.db, id, limit, after);
  return rows.map((r) => ({ userId: r.user_id, role: r.role, joinedAt: r.joined_at.toISOString() }));
}

export async function doSetMuted(deps: Deps, actor: Actor, id: string, muted: boolean): Promise<MyChannel> {
  return transact(deps, async (tx, events) => {
    await accessChannel(tx, actor, id, 'interact');
    const m = (await channels.setMuted(tx, id, actor.id, muted))!;
    events.toUsers('membership.updated', { channelId: id, muted: m.muted, role: m.role }, [actor.id]);
    return mine(tx, actor.id, id);
  });
}
