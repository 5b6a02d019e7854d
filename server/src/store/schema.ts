// Table types for Kysely. One interface per table, columns as the database returns them.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  role: 'admin' | 'member';
  deactivated: Generated<boolean>;
  status_text: Generated<string>;
  status_emoji: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  user_agent: string;
  ip: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface InvitesTable {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_by: string | null;
  used_at: NullableTimestamp;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface ChannelsTable {
  id: string;
  kind: 'public' | 'private' | 'dm' | 'group';
  name: string | null;
  topic: Generated<string>;
  purpose: Generated<string>;
  archived: Generated<boolean>;
  read_only: Generated<boolean>;
  is_general: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp;
  /** Sorted member ids joined by ',' for DMs and group DMs: opening the same set finds the same row. */
  dm_key: string | null;
  /** The seq of the newest top-level message; incremented under the row lock when posting. */
  last_seq: Generated<number>;
  member_count: Generated<number>;
}

export interface ChannelMembersTable {
  channel_id: string;
  user_id: string;
  role: 'owner' | 'member';
  muted: Generated<boolean>;
  last_read_seq: Generated<number>;
  last_read_message_id: string | null;
  joined_at: Timestamp;
}

export interface MessagesTable {
  id: string;
  channel_id: string;
  user_id: string;
  text: string;
  thread_root_id: string | null;
  /** Position among the channel's top-level messages, or among a thread's replies. */
  seq: number;
  reply_count: Generated<number>;
  /** The seq of the newest reply (monotonic even when replies are deleted). */
  reply_seq: Generated<number>;
  last_reply_at: NullableTimestamp;
  created_at: Timestamp;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  pinned_at: NullableTimestamp;
  pinned_by: string | null;
  mentions: ColumnType<string[], string[] | undefined, string[]>;
  broadcast_mention: 'channel' | 'here' | null;
  client_id: string | null;
}

export interface MessageVersionsTable {
  id: string;
  message_id: string;
  text: string;
  created_at: Timestamp;
}

export interface ReactionsTable {
  message_id: string;
  emoji: string;
  user_id: string;
  created_at: Timestamp;
}

export interface ThreadFollowersTable {
  root_id: string;
  user_id: string;
  following: boolean;
  last_read_seq: Generated<number>;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  settings: SettingsTable;
  channels: ChannelsTable;
  channel_members: ChannelMembersTable;
  messages: MessagesTable;
  message_versions: MessageVersionsTable;
  reactions: ReactionsTable;
  thread_followers: ThreadFollowersTable;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type MemberRow = Selectable<ChannelMembersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type ChannelUpdate = Updateable<ChannelsTable>;
