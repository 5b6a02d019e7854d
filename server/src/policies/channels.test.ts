// The channel rules table, checked without a database.
import { describe, expect, it } from 'vitest';
import { checkChannel, type Actor, type ChannelAction } from './channels.js';
import type { ChannelWithMembership } from '../store/channels.js';

const member: Actor = { id: 'm', role: 'member' };
const admin: Actor = { id: 'a', role: 'admin' };

function channel(over: Partial<ChannelWithMembership> & { role?: 'owner' | 'member' | null } = {}): ChannelWithMembership {
  const { role = 'member', ...rest } = over;
  return {
    id: 'c', kind: 'public', name: 'x', topic: '', purpose: '', archived: false, read_only: false, is_general: false,
    created_by: null, created_at: new Date(), dm_key: null, last_seq: 0, member_count: 1,
    member: role ? { channel_id: 'c', user_id: 'm', role, muted: false, last_read_seq: 0, last_read_message_id: null, joined_at: new Date() } : null,
    ...rest,
  };
}

const verdict = (a: Actor, c: ChannelWithMembership, action: ChannelAction) => {
  const v = checkChannel(a, c, action);
  return v.ok ? 'ok' : `${v.status} ${v.code}`;
};

describe('channel policy', () => {
  it('hides private channels and conversations from non-members, admins included', () => {
    for (const kind of ['private', 'dm', 'group'] as const) {
      expect(verdict(member, channel({ kind, role: null }), 'view')).toBe('404 not_found');
      expect(verdict(admin, channel({ kind, role: null }), 'view')).toBe('404 not_found');
    }
    expect(verdict(member, channel({ role: null }), 'view')).toBe('ok');
  });
  it('lets only members post, and not in archived or read-only channels', () => {
    expect(verdict(member, channel({ role: null }), 'post')).toBe('403 not_a_member');
    expect(verdict(member, channel(), 'post')).toBe('ok');
    expect(verdict(member, channel({ archived: true }), 'post')).toBe('403 channel_archived');
    expect(verdict(member, channel({ read_only: true }), 'post')).toBe('403 channel_read_only');
    expect(verdict(member, channel({ read_only: true, role: 'owner' }), 'post')).toBe('ok');
    expect(verdict(admin, channel({ read_only: true }), 'post')).toBe('ok');
  });
  it('keeps everyone in #general and DMs fixed', () => {
    expect(verdict(member, channel({ is_general: true }), 'leave')).toBe('403 cannot_leave_general');
    expect(verdict(admin, channel({ is_general: true }), 'removeMembers')).toBe('403 cannot_leave_general');
    expect(verdict(member, channel({ kind: 'dm' }), 'leave')).toBe('403 cannot_modify_dm');
    expect(verdict(member, channel({ kind: 'group' }), 'addMembers')).toBe('403 cannot_modify_dm');
  });
  it('lets owners and admins manage, members edit the topic', () => {
    expect(verdict(member, channel(), 'manage')).toBe('403 forbidden');
    expect(verdict(member, channel({ role: 'owner' }), 'manage')).toBe('ok');
    expect(verdict(admin, channel({ role: null }), 'manage')).toBe('ok');
    expect(verdict(member, channel(), 'editInfo')).toBe('ok');
    expect(verdict(member, channel({ role: null }), 'editInfo')).toBe('403 not_a_member');
  });
  it('joins public channels only', () => {
    expect(verdict(member, channel({ role: null }), 'join')).toBe('ok');
    expect(verdict(member, channel({ role: null, archived: true }), 'join')).toBe('403 channel_archived');
  });
});
