// Every REST call the client makes, typed with the protocol's wire shapes.
import type { Channel, ChannelMember, Message, MyChannel, PresenceStatus, ThreadSummary, User, Workspace } from '@parley/protocol';
import { del, get, patch, post, put } from './http';

export interface Session { user: User; token: string; csrfToken: string }
export interface Page { messages: Message[]; hasMore: boolean; hasOlder: boolean; hasNewer: boolean }
export type PageQuery = { before: string } | { after: string } | { around: string } | Record<string, never>;

const enc = encodeURIComponent;
const qs = (o: Record<string, string | number | undefined>) => {
  const p = Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${enc(String(v))}`);
  return p.length ? `?${p.join('&')}` : '';
};

export const api = {
  workspace: () => get<Workspace>('/workspace'),
  updateWorkspace: (body: { name?: string; openSignup?: boolean }) => patch<Workspace>('/workspace', body),
  signup: (body: { username: string; email: string; password: string; displayName?: string; inviteToken?: string; workspaceName?: string }) =>
    post<Session>('/auth/signup', body),
  login: (login: string, password: string) => post<Session>('/auth/login', { login, password }),
  logout: () => post<void>('/auth/logout'),
  checkInvite: (token: string) => get<{ valid: boolean }>(`/invites/${enc(token)}`),
  createInvite: () => post<{ token: string; url: string; expiresAt: string }>('/invites', {}),

  me: () => get<User>('/users/me'),
  updateMe: (body: { displayName?: string; statusText?: string; statusEmoji?: string }) => patch<User>('/users/me', body),
  users: (query = '', limit = 1000) => get<{ users: User[] }>(`/users${qs({ query: query || undefined, limit })}`),
  user: (id: string) => get<User>(`/users/${enc(id)}`),
  presence: () => get<{ presence: Record<string, PresenceStatus> }>('/users/presence'),

  channels: () => get<{ channels: MyChannel[] }>('/channels'),
  channel: (id: string) => get<Channel | MyChannel>(`/channels/${enc(id)}`),
  browse: (query = '') => get<{ channels: Channel[] }>(`/channels/browse${qs({ query: query || undefined })}`),
  createChannel: (body: { name: string; kind: 'public' | 'private'; topic?: string; purpose?: string }) => post<MyChannel>('/channels', body),
  updateChannel: (id: string, body: { name?: string; topic?: string; purpose?: string }) => patch<MyChannel>(`/channels/${enc(id)}`, body),
  archive: (id: string) => post<MyChannel>(`/channels/${enc(id)}/archive`),
  join: (id: string) => post<MyChannel>(`/channels/${enc(id)}/join`),
  leave: (id: string) => post<void>(`/channels/${enc(id)}/leave`),
  mute: (id: string, muted: boolean) => (muted ? put<MyChannel> : del<MyChannel>)(`/channels/${enc(id)}/mute`),
  members: (id: string) => get<{ members: ChannelMember[] }>(`/channels/${enc(id)}/members`),
  addMembers: (id: string, userIds: string[]) => post<{ added: string[] }>(`/channels/${enc(id)}/members`, { userIds }),
  openDm: (userIds: string[]) => post<MyChannel>('/dms', { userIds }),

  messages: (channelId: string, q: PageQuery = {}, limit = 50) =>
    get<Page>(`/channels/${enc(channelId)}/messages${qs({ ...q, limit })}`),
  post: (channelId: string, body: { text: string; threadRootId?: string | null; clientId: string; confirmChannelMention?: boolean; fileIds?: string[] }) =>
    post<Message>(`/channels/${enc(channelId)}/messages`, body),
  message: (id: string) => get<Message>(`/messages/${enc(id)}`),
  edit: (id: string, text: string) => patch<Message>(`/messages/${enc(id)}`, { text }),
  remove: (id: string) => del<void>(`/messages/${enc(id)}`),
  thread: (id: string) => get<{ root: Message; replies: Message[] }>(`/messages/${enc(id)}/thread`),
  react: (id: string, emoji: string, add: boolean) => (add ? put<Message> : del<Message>)(`/messages/${enc(id)}/reactions/${enc(emoji)}`),
  pin: (id: string, pinned: boolean) => (pinned ? put<Message> : del<Message>)(`/messages/${enc(id)}/pin`),
  pins: (channelId: string) => get<{ messages: Message[] }>(`/channels/${enc(channelId)}/pins`),

  markRead: (channelId: string, messageId?: string) => post<MyChannel>(`/channels/${enc(channelId)}/read`, messageId ? { messageId } : {}),
  threads: () => get<{ threads: ThreadSummary[] }>('/threads?limit=200'),
  markThreadRead: (rootId: string) => post<ThreadSummary>(`/messages/${enc(rootId)}/thread/read`),
  follow: (rootId: string, following: boolean) => (following ? put<ThreadSummary> : del<ThreadSummary>)(`/messages/${enc(rootId)}/thread/follow`),
};
