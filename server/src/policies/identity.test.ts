// The identity rules without a database: guests and channels, guests and people, token
// scopes and the enrolment-only state, and the two-factor requirement over time.
import { describe, expect, it } from 'vitest';
import { checkChannel, checkWorkspaceChannels, type Actor, type ChannelAction } from './channels.js';
import { canSeePerson, checkOpenDm } from './people.js';
import { checkCredential, effectiveRole, type Credential } from './credentials.js';
import { twoFactorRequirement } from './two-factor.js';
import type { ChannelWithMembership } from '../store/channels.js';

const guest: Actor = { id: 'g', role: 'guest' };
const member: Actor = { id: 'm', role: 'member' };

function channel(over: Partial<ChannelWithMembership> & { role?: 'owner' | 'member' | null } = {}): ChannelWithMembership {
  const { role = 'member', ...rest } = over;
  return {
    id: 'c', kind: 'public', name: 'x', topic: '', purpose: '', archived: false, read_only: false, is_general: false,
    created_by: null, created_at: new Date(), dm_key: null, last_seq: 0, member_count: 1,
    member: role ? { channel_id: 'c', user_id: 'g', role, muted: false, last_read_seq: 0, last_read_message_id: null, joined_at: new Date() } : null,
    ...rest,
  };
}

const verdict = (a: Actor, c: ChannelWithMembership, action: ChannelAction) => {
  const v = checkChannel(a, c, action);
  return v.ok ? 'ok' : `${v.status} ${v.code}`;
};

describe('guests in channels', () => {
  it('see nothing they were not added to, public channels included', () => {
    for (const kind of ['public', 'private', 'dm', 'group'] as const) {
      for (const action of ['view', 'post', 'join', 'interact'] as const) {
        expect(verdict(guest, channel({ kind, role: null }), action)).toBe('404 not_found');
      }
    }
    expect(verdict(member, channel({ role: null }), 'view')).toBe('ok');
  });
  it('use the channels they were added to like members, but add nobody', () => {
    expect(verdict(guest, channel(), 'view')).toBe('ok');
    expect(verdict(guest, channel(), 'post')).toBe('ok');
    expect(verdict(guest, channel(), 'interact')).toBe('ok');
    expect(verdict(guest, channel(), 'leave')).toBe('ok');
    expect(verdict(guest, channel(), 'addMembers')).toBe('403 guest_restricted');
    expect(verdict(guest, channel(), 'join')).toBe('403 guest_restricted');
    expect(verdict(guest, channel(), 'manage')).toBe('403 forbidden');
    expect(verdict(member, channel(), 'addMembers')).toBe('ok');
  });
  it('cannot browse or create channels', () => {
    expect(checkWorkspaceChannels(guest, 'browse')).toMatchObject({ ok: false, code: 'guest_restricted' });
    expect(checkWorkspaceChannels(guest, 'create')).toMatchObject({ ok: false, code: 'guest_restricted' });
    expect(checkWorkspaceChannels(member, 'browse')).toEqual({ ok: true });
    expect(checkWorkspaceChannels({ id: 'a', role: 'admin' }, 'create')).toEqual({ ok: true });
  });
});

describe('guests and people', () => {
  const peers = new Set(['p1', 'p2']);
  it('open DMs only with people who share a channel', () => {
    expect(checkOpenDm(guest, ['g', 'p1', 'p2'], (id) => peers.has(id))).toBeNull();
    expect(checkOpenDm(guest, ['g', 'p1', 'x'], (id) => peers.has(id))).toMatch(/share a channel/);
    expect(checkOpenDm(member, ['m', 'x'], () => false)).toBeNull();
  });
  it('see themselves and their peers only', () => {
    expect(canSeePerson(guest, 'g', false)).toBe(true);
    expect(canSeePerson(guest, 'p1', true)).toBe(true);
    expect(canSeePerson(guest, 'x', false)).toBe(false);
    expect(canSeePerson(member, 'x', false)).toBe(true);
  });
});

describe('credentials', () => {
  const session: Credential = { kind: 'session', scopes: [], stage: 'full' };
  const enrolling: Credential = { kind: 'session', scopes: [], stage: 'enrol_2fa' };
  const read: Credential = { kind: 'token', scopes: ['read'], stage: 'full' };
  const write: Credential = { kind: 'token', scopes: ['write'], stage: 'full' };
  const admin: Credential = { kind: 'token', scopes: ['admin'], stage: 'full' };
  const code = (c: Credential, route: Parameters<typeof checkCredential>[1]) => {
    const v = checkCredential(c, route);
    return v.ok ? 'ok' : v.code;
  };

  it('limits read tokens to safe methods and keeps tokens off account-security routes', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(code(read, { method })).toBe('ok');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(code(read, { method })).toBe('insufficient_scope');
      expect(code(write, { method })).toBe('ok');
      expect(code(admin, { method })).toBe('ok');
      expect(code(session, { method })).toBe('ok');
    }
    for (const t of [read, write, admin]) expect(code(t, { method: 'GET', sessionOnly: true })).toBe('session_required');
    expect(code(session, { method: 'POST', sessionOnly: true })).toBe('ok');
  });
  it('lets an enrolling session reach only the enrolment routes', () => {
    expect(code(enrolling, { method: 'GET' })).toBe('enrolment_required');
    expect(code(enrolling, { method: 'POST', sessionOnly: true })).toBe('enrolment_required');
    expect(code(enrolling, { method: 'POST', sessionOnly: true, duringEnrolment: true })).toBe('ok');
  });
  it('gives tokens without the admin scope member rights', () => {
    expect(effectiveRole('admin', write)).toBe('member');
    expect(effectiveRole('admin', read)).toBe('member');
    expect(effectiveRole('admin', admin)).toBe('admin');
    expect(effectiveRole('admin', session)).toBe('admin');
    expect(effectiveRole('guest', write)).toBe('guest');
  });
});

describe('the two-factor requirement', () => {
  const now = new Date('2030-01-10T00:00:00Z');
  it('covers whom the policy names, and is overdue after the grace period', () => {
    expect(twoFactorRequirement({ require: 'off', enforceAt: null }, 'admin', now)).toEqual({ required: false, enrolBy: null, overdue: false });
    const admins = { require: 'admins' as const, enforceAt: '2030-01-15T00:00:00Z' };
    expect(twoFactorRequirement(admins, 'member', now).required).toBe(false);
    expect(twoFactorRequirement(admins, 'admin', now)).toEqual({ required: true, enrolBy: new Date(admins.enforceAt), overdue: false });
    expect(twoFactorRequirement(admins, 'admin', new Date('2030-01-15T00:00:00Z')).overdue).toBe(true);
    const everyone = { require: 'everyone' as const, enforceAt: '2030-01-01T00:00:00Z' };
    for (const role of ['admin', 'member', 'guest'] as const) expect(twoFactorRequirement(everyone, role, now)).toMatchObject({ required: true, overdue: true });
  });
});
