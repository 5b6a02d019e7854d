// Who may do what in a channel: one table, pure functions, checked with one call.
// A channel the actor may not see answers 404 (its existence is not revealed); one they can
// see but may not act on answers 403 with the reason.
import { AppError } from '../errors.js';
import type { ChannelWithMembership } from '../store/channels.js';
import type { ErrorCode } from '@parley/protocol';

export interface Actor {
  id: string;
  role: 'admin' | 'member' | 'guest';
}

export type ChannelAction =
  | 'view' // read the channel, its messages, pins and members
  | 'post' // new messages and replies
  | 'interact' // react, pin, mark read, mute, follow threads
  | 'join'
  | 'leave'
  | 'editInfo' // topic and purpose
  | 'manage' // name, read-only, archive, unarchive
  | 'addMembers'
  | 'removeMembers';

type Verdict = { ok: true } | { ok: false; status: 403 | 404; code: ErrorCode; message: string };
const OK: Verdict = { ok: true };
const deny = (code: ErrorCode, message: string): Verdict => ({ ok: false, status: 403, code, message });
const HIDDEN: Verdict = { ok: false, status: 404, code: 'not_found', message: 'Channel was not found.' };

/** Guests see only the channels they were added to; everyone else also sees every public channel. */
export function canSee(actor: Actor, c: ChannelWithMembership): boolean {
  return c.member !== null || (c.kind === 'public' && actor.role !== 'guest');
}

const GUEST = (what: string): Verdict => deny('guest_restricted', `Guests cannot ${what}.`);

export function checkChannel(actor: Actor, c: ChannelWithMembership, action: ChannelAction): Verdict {
  if (!canSee(actor, c)) return HIDDEN;
  const member = c.member !== null;
  const owner = c.member?.role === 'owner';
  const admin = actor.role === 'admin';
  const conversation = c.kind === 'dm' || c.kind === 'group';
  const live = () => (c.archived ? deny('channel_archived', 'This channel is archived.') : OK);
  const mustBeMember = () => (member ? OK : deny('not_a_member', 'Join the channel first.'));
  const all = (...vs: Array<() => Verdict>): Verdict => {
    for (const v of vs) {
      const r = v();
      if (!r.ok) return r;
    }
    return OK;
  };
  switch (action) {
    case 'view':
      return OK;
    case 'post':
      return all(mustBeMember, live, () =>
        c.read_only && !owner && !admin ? deny('channel_read_only', 'Only channel owners and admins can post here.') : OK);
    case 'interact':
      return mustBeMember();
    case 'join':
      if (actor.role === 'guest') return GUEST('join channels; ask a member to add you');
      if (c.kind !== 'public') return deny('forbidden', 'Only public channels can be joined; ask a member to add you.');
      return live();
    case 'leave':
      if (conversation) return deny('cannot_modify_dm', 'Direct messages cannot be left.');
      if (c.is_general) return deny('cannot_leave_general', 'Everyone stays in #general.');
      return mustBeMember();
    case 'editInfo':
      return all(mustBeMember, live);
    case 'manage':
      if (conversation) return deny('cannot_modify_dm', 'Direct messages cannot be changed.');
      return owner || admin ? OK : deny('forbidden', 'Only channel owners and admins can do this.');
    case 'addMembers':
      if (conversation) return deny('cannot_modify_dm', 'Direct messages have a fixed set of people; start a new one.');
      if (actor.role === 'guest') return GUEST('add people to channels');
      return all(() => (member || admin ? OK : deny('not_a_member', 'Join the channel first.')), live);
    case 'removeMembers':
      if (conversation) return deny('cannot_modify_dm', 'Direct messages have a fixed set of people.');
      if (c.is_general) return deny('cannot_leave_general', 'Everyone stays in #general.');
      return owner || admin ? OK : deny('forbidden', 'Only channel owners and admins can remove people.');
  }
}

/** Workspace-wide channel actions, which depend on the actor alone. */
export type WorkspaceChannelAction = 'browse' | 'create';

export function checkWorkspaceChannels(actor: Actor, action: WorkspaceChannelAction): Verdict {
  if (actor.role !== 'guest') return OK;
  return action === 'browse' ? GUEST('browse channels') : GUEST('create channels');
}

export function authorizeWorkspaceChannels(actor: Actor, action: WorkspaceChannelAction): void {
  const v = checkWorkspaceChannels(actor, action);
  if (!v.ok) throw new AppError(v.status, v.code, v.message);
}

/** Throws the verdict's error unless allowed; returns the channel for chaining. */
export function authorizeChannel(actor: Actor, c: ChannelWithMembership | undefined, action: ChannelAction): ChannelWithMembership {
  if (!c) throw new AppError(404, 'not_found', 'Channel was not found.');
  const v = checkChannel(actor, c, action);
  if (!v.ok) throw new AppError(v.status, v.code, v.message);
  return c;
}
