// What each principal should get from a route, computed from the policy functions themselves
// (policies/*.ts), so the matrix checks that every route really enforces the table it claims.
import { AppError } from '../src/errors.js';
import { checkAdmin, type AdminAction } from '../src/policies/admin.js';
import { checkChannel, checkWorkspaceChannels, type Actor, type ChannelAction } from '../src/policies/channels.js';
import { checkCredential } from '../src/policies/credentials.js';
import { authorizeAddEmoji, authorizeDeleteEmoji, authorizeStorageReport, canSeeUpload } from '../src/policies/files.js';
import { checkMessage, type MessageAction } from '../src/policies/messages.js';
import { canSeePerson, checkOpenDm } from '../src/policies/people.js';
import type { ChannelWithMembership } from '../src/store/channels.js';
import type { Principal, Scene, World } from './authz-world.js';

/** Allowed, or refused with this status and code. */
export type Outcome = { ok: true } | { ok: false; status: number; code: string };
export const OK: Outcome = { ok: true };
const refused = (status: number, code: string): Outcome => ({ ok: false, status, code });

export interface RuleInput {
  w: World;
  scene: Scene;
  p: Exclude<Principal, 'anon'>;
  actor: Actor;
}
export type Rule = (i: RuleInput) => Outcome;

/** Runs a policy function that throws AppError and turns its verdict into an outcome. */
function thrown(f: () => void): Outcome {
  try {
    f();
    return OK;
  } catch (err) {
    if (err instanceof AppError) return refused(err.status, err.code);
    throw err;
  }
}

/** The scene's channel as the policy sees it for this principal. */
function channelFor(i: RuleInput): ChannelWithMembership {
  return {
    kind: i.scene.kind, archived: false, read_only: false, is_general: false,
    member: i.scene.isMember(i.p) ? { role: 'member' } : null,
  } as unknown as ChannelWithMembership;
}

export const signedIn: Rule = () => OK;
export const admin = (action: AdminAction): Rule => ({ actor }) => (checkAdmin(actor, action) ? refused(403, 'forbidden') : OK);

export const channel = (action: ChannelAction): Rule => (i) => {
  const v = checkChannel(i.actor, channelFor(i), action);
  return v.ok ? OK : refused(v.status, v.code);
};

/** The member's message in the scene's channel: the channel must be visible, then the message rule. */
export const message = (action: MessageAction): Rule => (i) => {
  const seen = channel('view')(i);
  if (!seen.ok) return seen;
  const reason = checkMessage(i.actor, channelFor(i), { user_id: i.w.people.member.id, deleted_at: null }, action);
  return reason ? refused(403, 'forbidden') : OK;
};

export const workspaceChannels = (action: 'browse' | 'create'): Rule => ({ actor }) => {
  const v = checkWorkspaceChannels(actor, action);
  return v.ok ? OK : refused(v.status, v.code);
};

/** Opening a DM with the outsider, whom the guest shares no channel with. */
export const openDmWithOutsider: Rule = ({ actor, w }) =>
  checkOpenDm(actor, [w.people.outsider.id], () => false) ? refused(403, 'guest_restricted') : OK;

/** Looking up the outsider: a guest does not share a channel with them. */
export const seeOutsider: Rule = ({ actor, w }) => (canSeePerson(actor, w.people.outsider.id, false) ? OK : refused(404, 'not_found'));

/** The member's own upload that is not yet in a message. */
export const memberUpload: Rule = ({ actor, w }) => (canSeeUpload(actor, w.people.member.id) ? OK : refused(404, 'not_found'));

export const addEmoji = (membersCanAdd: boolean): Rule => ({ actor }) => thrown(() => authorizeAddEmoji(actor, membersCanAdd));
/** Deleting an emoji the admin added. */
export const deleteAdminsEmoji: Rule = ({ actor, w }) => thrown(() => authorizeDeleteEmoji(actor, w.people.admin.id));
export const storageReport: Rule = ({ actor }) => thrown(() => authorizeStorageReport(actor));

/**
 * The full expectation for one cell: the credential layer (app.ts) first, then the route's rule.
 * Public routes take anyone; other routes refuse a missing credential with 401.
 */
export function expected(route: { method: string; public?: boolean; sessionOnly?: boolean; rule: Rule }, i: Omit<RuleInput, 'actor'> | { p: 'anon' }): Outcome {
  if (i.p === 'anon') return route.public ? OK : refused(401, 'unauthorized');
  if (route.public) return OK;
  if (i.p === 'readToken') {
    const v = checkCredential({ kind: 'token', scopes: ['read'], stage: 'full' }, { method: route.method, sessionOnly: route.sessionOnly });
    if (!v.ok) return refused(v.status, v.code);
  }
  const full = i as Omit<RuleInput, 'actor'>;
  return route.rule({ ...full, actor: full.w.actor(full.p) });
}
