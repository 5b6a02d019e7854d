// The people and things the authorization matrix acts on. Six principals try every route:
// an admin, a member, a guest, an outsider (a member who is in none of the channels at
// stake), a read-only personal access token of the member, and nobody (no credential).
// Every cell gets a fresh session and fresh resources, so a route that deletes or revokes
// cannot change what the next cell sees.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Actor } from '../src/policies/channels.js';
import { Client, PASSWORD, type TestServer } from './harness.js';
import { uploaded } from './files-helpers.js';
import { exportZip, realisticSpec } from './import-helpers.js';

export const PRINCIPALS = ['admin', 'member', 'guest', 'outsider', 'readToken', 'anon'] as const;
export type Principal = (typeof PRINCIPALS)[number];
type Person = 'admin' | 'owner' | 'member' | 'guest' | 'outsider' | 'victim';

let counter = 0;
const fresh = (p: string) => `${p}${process.pid.toString(36)}${(++counter).toString(36)}`;

export class World {
  /** A page with an og:image on 127.0.0.1 (previewSite), for routes that need a stored preview image. */
  previewPage: string | null = null;

  private constructor(readonly server: TestServer, readonly people: Record<Person, Client>, private readonly readToken: string) {}

  static async create(server: TestServer): Promise<World> {
    const admin = server.admin;
    const invite = await admin.post('/api/v1/invites', { role: 'guest' });
    const guestSignup = await server.request<any>('POST', '/api/v1/auth/signup', {
      username: fresh('guest'), email: `${fresh('guest')}@example.test`, password: PASSWORD, inviteToken: invite.body.token,
    });
    if (guestSignup.status !== 201) throw new Error(`guest signup: ${JSON.stringify(guestSignup.body)}`);
    const guest = new Client(server, guestSignup.body.token, guestSignup.body.user);
    const [owner, member, outsider, victim] = [await server.user(fresh('owner')), await server.user(fresh('member')),
      await server.user(fresh('outsider')), await server.user(fresh('victim'))];
    // One read-only token serves every cell: no route a read-only token may call can revoke it.
    const t = await member.post('/api/v1/tokens', { name: fresh('ro'), scopes: ['read'] });
    if (t.status !== 201) throw new Error(`token: ${JSON.stringify(t.body)}`);
    return new World(server, { admin, owner, member, guest, outsider, victim }, t.body.secret);
  }

  /** The policy's view of a principal: a read-only token acts with its owner's (member) rights. */
  actor(p: Exclude<Principal, 'anon'>): Actor {
    const who = p === 'readToken' ? this.people.member : this.people[p];
    return { id: who.id, role: who.user.role as Actor['role'] };
  }

  /** A fresh credential for the principal, so that signing out or revoking in one cell touches no other. */
  async as(p: Principal): Promise<Client> {
    if (p === 'anon') return new Client(this.server, null, this.people.member.user);
    if (p === 'readToken') return new Client(this.server, this.readToken, this.people.member.user);
    const person = this.people[p];
    const r = await this.server.request<any>('POST', '/api/v1/auth/login', { login: person.user.username, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return new Client(this.server, r.body.token, r.body.user);
  }

  /** A brand-new member for routes that change or end someone's account. */
  async someone(): Promise<Client> {
    return this.server.user(fresh('someone'));
  }
}

export type ChannelKind = 'private' | 'public';

/**
 * One cell's resources, made on first use. The channel is created by `owner`; the member is
 * in it, the guest only in the private one, the admin and the outsider in neither. The
 * message, thread and file belong to the member.
 */
export class Scene {
  private cache = new Map<string, Promise<any>>();
  constructor(readonly w: World, readonly kind: ChannelKind) {}

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key)!;
  }

  /** Whether the principal belongs to this scene's channel. */
  isMember(p: Principal): boolean {
    return p === 'member' || p === 'readToken' || (p === 'guest' && this.kind === 'private');
  }

  channel(): Promise<string> {
    return this.once('channel', async () => {
      const { owner, member, guest, victim } = this.w.people;
      const c = await owner.channel(fresh('matrix-'), this.kind);
      const add = [member.id, victim.id, ...(this.kind === 'private' ? [guest.id] : [])];
      const r = await owner.post(`/api/v1/channels/${c.id}/members`, { userIds: add });
      if (r.status !== 200) throw new Error(`add members: ${JSON.stringify(r.body)}`);
      return c.id;
    });
  }

  archivedChannel(): Promise<string> {
    return this.once('archived', async () => {
      const id = await this.channel();
      await this.w.people.owner.post(`/api/v1/channels/${id}/archive`);
      return id;
    });
  }

  /** The member's message, with a link so that it may carry previews. */
  message(): Promise<string> {
    return this.once('message', async () => {
      const m = await this.w.people.member.say(await this.channel(), 'see https://example.invalid/page for the plan');
      return m.id;
    });
  }

  /** The stored image of a link preview on the member's message (World.previewPage must be set). */
  previewImage(): Promise<string> {
    return this.once('previewImage', async () => {
      if (!this.w.previewPage) throw new Error('the matrix needs previewSite() for preview images');
      const m = await this.w.people.member.say(await this.channel(), `a picture: ${this.w.previewPage}`);
      await this.w.server.deps.previews!.idle();
      const got = await this.w.people.member.get(`/api/v1/messages/${m.id}`);
      const url = got.body.previews?.[0]?.imageUrl;
      if (!url) throw new Error(`no preview image: ${JSON.stringify(got.body.previews)}`);
      return url as string;
    });
  }

  /** A thread root (the member's message) with one reply from the owner. */
  thread(): Promise<string> {
    return this.once('thread', async () => {
      const root = await this.message();
      await this.w.people.owner.say(await this.channel(), 'a reply', { threadRootId: root });
      return root;
    });
  }

  /** An image the member shared in the channel. */
  file(): Promise<string> {
    return this.once('file', async () => {
      const [f] = await uploaded(this.w.server, this.w.people.member, { name: 'dot.png', data: await png() });
      await this.w.people.member.say(await this.channel(), 'a picture', { fileIds: [f.id] });
      return f.id;
    });
  }
}

export function png(): Promise<Buffer> {
  return sharp({ create: { width: 4, height: 4, channels: 3, background: '#3366ff' } }).png().toBuffer();
}

/**
 * A linked site on 127.0.0.1: `/page` names `/cover.png` as its og:image. The server must
 * allow loopback previews (the test-only setting) to reach it.
 */
export async function previewSite(): Promise<{ page: string; close(): Promise<void> }> {
  const cover = await png();
  const server = http.createServer((req, res) => {
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><head><meta property="og:title" content="Plan"><meta property="og:image" content="/cover.png"></head></html>');
    }
    if (req.url === '/cover.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(cover);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    page: `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A small, valid Slack export to start (dry-run) imports with. */
export function slackExport(): string {
  return exportZip(realisticSpec());
}
