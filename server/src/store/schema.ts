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
  role: 'admin' | 'member' | 'guest';
  deactivated: Generated<boolean>;
  status_text: Generated<string>;
  status_emoji: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Imported bot accounts (migration 005); they never sign in. */
  is_bot: Generated<boolean>;
  avatar_url: string | null;
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
  /** 'session': a signed-in device; 'token': a personal access token for scripts. */
  kind: Generated<'session' | 'token'>;
  /** A token's name (empty for sessions). */
  name: Generated<string>;
  /** A token's scopes ('read', 'write', 'admin'); empty for sessions, which have all their user's rights. */
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  /** 'enrol_2fa' while two-factor enrolment is overdue: only enrolment routes work. */
  stage: Generated<'full' | 'enrol_2fa'>;
}

export interface InvitesTable {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_by: string | null;
  used_at: NullableTimestamp;
  role: Generated<'member' | 'guest'>;
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
  /** null for an ordinary message; 'bot', 'broadcast', or a system event (join, leave, topic, ...) (migration 005). */
  subtype: string | null;
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

export interface TotpCredentialsTable {
  user_id: string;
  /** The base32 secret, sealed with the server's key (auth/secretbox.ts). */
  secret_sealed: string;
  confirmed_at: NullableTimestamp;
  last_used_step: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  /** base64url, as WebAuthn names it. */
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: ColumnType<number, number | undefined, number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  device_type: string;
  backed_up: boolean;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface AuthChallengesTable {
  id: string;
  kind: 'second_factor' | 'passkey_register' | 'passkey_login';
  token_hash: string | null;
  user_id: string | null;
  challenge: string | null;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** Open Graph previews of a message's links (migration 003); a dismissed one is kept but not shown. */
export interface LinkPreviewsTable {
  message_id: string;
  url: string;
  position: number;
  title: Generated<string>;
  description: Generated<string>;
  image_url: string | null;
  site_name: Generated<string>;
  dismissed: Generated<boolean>;
  /** The stored copy of the image (migration 009), served at /messages/{id}/previews/{image_id}/image. */
  image_id: string | null;
  image_width: number | null;
  image_height: number | null;
  image_encrypted: Generated<boolean>;
  fetched_at: Timestamp;
}

/** Uploaded files (migration 002): unattached until posted with a message. */
export interface FilesTable {
  id: string;
  user_id: string;
  message_id: string | null;
  channel_id: string | null;
  name: string;
  mime_type: string;
  size: number;
  width: number | null;
  height: number | null;
  placeholder: string | null;
  storage_key: string;
  has_previews: Generated<boolean>;
  encrypted: boolean;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface CustomEmojiTable {
  name: string;
  id: string;
  user_id: string | null;
  mime_type: string;
  size: number;
  storage_key: string;
  encrypted: boolean;
  created_at: Timestamp;
}

/** External ids mapped to rows not minted from them (migration 005). */
export interface ImportMapsTable {
  source: string;
  kind: 'user' | 'channel';
  external_id: string;
  internal_id: string;
}

/** One import of one export file; progress and report are committed with each batch (migration 005). */
export interface ImportRunsTable {
  id: string;
  source: string;
  fingerprint: string;
  dry_run: Generated<boolean>;
  status: 'queued' | 'running' | 'done' | 'failed';
  created_by: string | null;
  zip_path: string | null;
  done_entries: ColumnType<string[], string[] | undefined, string[]>;
  progress: ColumnType<unknown, string | undefined, string>;
  report: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
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
  files: FilesTable;
  custom_emoji: CustomEmojiTable;
  link_previews: LinkPreviewsTable;
  totp_credentials: TotpCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  auth_challenges: AuthChallengesTable;
  password_resets: PasswordResetsTable;
  sso_identities: SsoIdentitiesTable;
  sso_requests: SsoRequestsTable;
  saml_assertions_seen: SamlAssertionsSeenTable;
  import_maps: ImportMapsTable;
  import_runs: ImportRunsTable;
  audit_log: AuditLogTable;
  security_alerts: SecurityAlertsTable;
  login_throttles: LoginThrottlesTable;
}

/** Failed sign-in attempts per scope (migration 008, security/brute-force.ts). */
export interface LoginThrottlesTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface SsoIdentitiesTable {
  provider: 'oidc' | 'saml' | 'ldap';
  /** The provider's stable id of the person (OIDC issuer + sub, SAML NameID, LDAP entryUUID). */
  subject: string;
  user_id: string;
  created_at: Timestamp;
  last_login_at: NullableTimestamp;
}

export interface SsoRequestsTable {
  key: string;
  provider: string;
  data: ColumnType<Record<string, string>, string | undefined, string>;
  expires_at: Timestamp;
}

export interface SamlAssertionsSeenTable {
  id: string;
  expires_at: Timestamp;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type TotpRow = Selectable<TotpCredentialsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
export type ChallengeRow = Selectable<AuthChallengesTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type MemberRow = Selectable<ChannelMembersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type ChannelUpdate = Updateable<ChannelsTable>;
export type FileRow = Selectable<FilesTable>;
export type NewFile = Insertable<FilesTable>;
export type CustomEmojiRow = Selectable<CustomEmojiTable>;
export type ImportRunRow = Selectable<ImportRunsTable>;

/** Append-only (migration 007): the database refuses UPDATE, DELETE and TRUNCATE. */
export interface AuditLogTable {
  id: string;
  at: Timestamp;
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  target_type: string | null;
  target_id: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
}

export interface SecurityAlertsTable {
  id: string;
  at: Timestamp;
  kind: string;
  /** What the alert is about (an account, an address, a session): one alert per kind and subject per window. */
  subject: string;
  severity: string;
  summary: string;
  actor_id: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
}
