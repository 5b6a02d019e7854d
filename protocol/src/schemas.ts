// Wire objects: the shapes that cross HTTP and WebSocket. Server routes use these as
// response schemas (so the OpenAPI document is generated from them) and the web client
// imports the inferred types. Change a field here and both sides see it at compile time.
import Type from 'typebox';

export const Id = Type.String({ format: 'uuid', description: 'UUIDv7' });
export const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Guests see only the channels they were added to (see server/src/policies). */
export const UserRole = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('guest')]);
export type UserRole = Type.Static<typeof UserRole>;

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  email: Nullable(Type.String()),
  displayName: Type.String(),
  role: UserRole,
  deactivated: Type.Boolean(),
  statusText: Type.String(),
  statusEmoji: Type.String(),
  createdAt: Time,
  /** An imported bot account (it never signs in). */
  isBot: Type.Optional(Type.Boolean()),
  /** A picture URL carried over from an import, when there was one. */
  avatarUrl: Type.Optional(Nullable(Type.String())),
});
export type User = Type.Static<typeof User>;

export const ChannelKind = Type.Union([
  Type.Literal('public'),
  Type.Literal('private'),
  Type.Literal('dm'),
  Type.Literal('group'),
]);
export type ChannelKind = Type.Static<typeof ChannelKind>;

export const Channel = Type.Object({
  id: Id,
  kind: ChannelKind,
  /** Lowercase slug for public/private channels; null for DMs and group DMs. */
  name: Nullable(Type.String()),
  topic: Type.String(),
  purpose: Type.String(),
  archived: Type.Boolean(),
  readOnly: Type.Boolean(),
  isGeneral: Type.Boolean(),
  createdBy: Nullable(Id),
  createdAt: Time,
  memberCount: Type.Integer(),
  /** For DMs and group DMs only: who is in it (at most 8), so clients can name it. */
  dmUserIds: Nullable(Type.Array(Id)),
});
export type Channel = Type.Static<typeof Channel>;

export const MemberRole = Type.Union([Type.Literal('owner'), Type.Literal('member')]);
export type MemberRole = Type.Static<typeof MemberRole>;

/** A channel as its member sees it: the shared fields plus that member's own read state. */
export const MyChannel = Type.Intersect([
  Channel,
  Type.Object({
    memberRole: MemberRole,
    muted: Type.Boolean(),
    unreadCount: Type.Integer(),
    mentionCount: Type.Integer(),
    lastReadMessageId: Nullable(Id),
    /** The channel sequence number of lastReadMessageId (0 when nothing read). */
    lastReadSeq: Type.Integer(),
  }),
]);
export type MyChannel = Type.Static<typeof MyChannel>;

export const ChannelMember = Type.Object({
  userId: Id,
  role: MemberRole,
  joinedAt: Time,
});
export type ChannelMember = Type.Static<typeof ChannelMember>;

export const Reaction = Type.Object({
  emoji: Type.String(),
  count: Type.Integer(),
  userIds: Type.Array(Id),
});
export type Reaction = Type.Static<typeof Reaction>;

/** An uploaded file. Its type is sniffed from the bytes on upload; images have sizes and a placeholder. */
export const FileInfo = Type.Object({
  id: Id,
  /** The uploader's file name (no path). */
  name: Type.String(),
  /** Detected from the content, never taken from the client; application/octet-stream when unknown. */
  mimeType: Type.String(),
  /** Bytes, as downloaded. */
  size: Type.Integer(),
  /** Pixel size of images (after applying their orientation); null otherwise. */
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  /** A tiny blurred stand-in for images, as a data: URL (webp), to show while the preview loads. */
  placeholder: Nullable(Type.String()),
  userId: Id,
  /** The message and channel that share it; null while it is an unattached upload. */
  messageId: Nullable(Id),
  channelId: Nullable(Id),
  createdAt: Time,
  /** Download URL (same origin, needs the session). */
  url: Type.String(),
  /** Scaled images (webp) for images; null for other files. */
  thumbnailUrl: Nullable(Type.String()),
  previewUrl: Nullable(Type.String()),
});
export type FileInfo = Type.Static<typeof FileInfo>;

/** A workspace's own emoji, used as `:name:` in text and as a reaction shortcode. */
export const CustomEmoji = Type.Object({
  name: Type.String(),
  url: Type.String(),
  userId: Nullable(Id),
  createdAt: Time,
});
export type CustomEmoji = Type.Static<typeof CustomEmoji>;

/** An Open Graph preview of a link in a message, fetched by the server after posting. */
export const LinkPreview = Type.Object({
  /** The link as written in the message. */
  url: Type.String(),
  title: Type.String(),
  description: Type.String(),
  /**
   * The page's image as Parley stored it (re-encoded webp, at most 600 px): a same-origin path,
   * readable by whoever can read the message. The linked site's own address is never sent.
   */
  imageUrl: Nullable(Type.String()),
  imageWidth: Nullable(Type.Integer()),
  imageHeight: Nullable(Type.Integer()),
  siteName: Type.String(),
});
export type LinkPreview = Type.Static<typeof LinkPreview>;

export const BroadcastMention = Nullable(Type.Union([Type.Literal('channel'), Type.Literal('here')]));
export type BroadcastMention = Type.Static<typeof BroadcastMention>;

export const Message = Type.Object({
  id: Id,
  channelId: Id,
  userId: Id,
  text: Type.String(),
  threadRootId: Nullable(Id),
  replyCount: Type.Integer(),
  lastReplyAt: Nullable(Time),
  createdAt: Time,
  editedAt: Nullable(Time),
  deleted: Type.Boolean(),
  pinned: Type.Boolean(),
  reactions: Type.Array(Reaction),
  mentions: Type.Array(Id),
  /** `@channel` or `@here` in the text, which counts as a mention of every member. */
  broadcastMention: BroadcastMention,
  clientId: Nullable(Type.String()),
  /** Position in its channel (top-level messages) or in its thread (replies), from 1. */
  seq: Type.Integer(),
  /** Files shared with the message (a message with files may have empty text); empty once deleted. */
  files: Type.Array(FileInfo),
  /** Previews of its links, in the order they appear; they arrive later with message.updated. */
  previews: Type.Array(LinkPreview),
  /**
   * null for an ordinary message. Imported messages may carry 'bot' (posted by an integration),
   * 'broadcast' (a thread reply also sent to the channel), 'me' (/me), or a system event shown
   * as a notice rather than a post: 'join', 'leave', 'topic', 'purpose', 'rename', 'archive',
   * 'unarchive', 'system'.
   */
  subtype: Type.Optional(Nullable(Type.String())),
});
export type Message = Type.Static<typeof Message>;

export const MessageVersion = Type.Object({ text: Type.String(), createdAt: Time });
export type MessageVersion = Type.Static<typeof MessageVersion>;

export const ThreadSummary = Type.Object({
  root: Message,
  following: Type.Boolean(),
  unreadReplies: Type.Integer(),
  mentionCount: Type.Integer(),
  /** The thread sequence number of the last reply this user has read. */
  lastReadSeq: Type.Integer(),
});
export type ThreadSummary = Type.Static<typeof ThreadSummary>;

export const PresenceStatus = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type PresenceStatus = Type.Static<typeof PresenceStatus>;

export const Workspace = Type.Object({
  name: Type.String(),
  /** True until the first account exists: the first visitor creates the admin. */
  setupRequired: Type.Boolean(),
  openSignup: Type.Boolean(),
  maxMessageLength: Type.Integer(),
  /** Largest upload in bytes. */
  maxFileSize: Type.Integer(),
  /** Whether members (not only admins) may add custom emoji. */
  membersCanAddEmoji: Type.Boolean(),
  /** Whether the server fetches previews of links in messages (admins turn it off). */
  linkPreviews: Type.Boolean(),
});
export type Workspace = Type.Static<typeof Workspace>;

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});
export type ErrorBody = Type.Static<typeof ErrorBody>;
