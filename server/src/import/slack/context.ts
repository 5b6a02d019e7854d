// What the Slack import's steps share: the database (or the dry run's transaction), the zip,
// the tally, and the Slack-to-Parley id maps built as it goes.
import type { Deps } from '../../actions/context.js';
import type { Db } from '../../store/db.js';
import { idAt } from '../../ids.js';
import { existingIds, insertUsers } from '../../store/imports.js';
import type { Tally } from './report.js';
import type { SafeZip } from './zip.js';
import type { ImportProgress } from '@parley/protocol';

export interface ChannelInfo {
  id: string;
  slackId: string;
  kind: 'public' | 'private' | 'dm' | 'group';
  name: string | null;
  /** Parley ids of the members. */
  members: Set<string>;
  /** Folder names its day files may be under (name for channels and group DMs, id for DMs). */
  folders: string[];
  /** Slack pins listed on the channel: message ts → who pinned it and when. */
  pins: Map<string, { user: string | null; at: Date | null }>;
}

/** How far an import has come, as shown by the CLI and the admin API. */
export type Progress = ImportProgress;

export interface ImportContext {
  deps: Deps;
  db: Db;
  zip: SafeZip;
  source: string;
  dry: boolean;
  tally: Tally;
  /** Slack user id → Parley user. */
  users: Map<string, { id: string; username: string }>;
  /** Slack channel id → Parley channel. */
  channels: Map<string, ChannelInfo>;
  /** Entries refused by the zip reader, by name. */
  refused: Map<string, string>;
  /** File bodies under __uploads/<fileId>/, by Slack file id (and refused ones with the reason). */
  uploads: { bodies: Map<string, string>; refused: Map<string, string> };
  /** Parley file ids already taken by a message in this run (see writeFiles). */
  claimedFiles: Set<string>;
  /**
   * Set when several conversations are written at once: a placeholder account then commits on
   * its own, before the batch that needs it, so another conversation's batch can refer to it.
   */
  placeholdersCommitAlone: boolean;
  /** Accounts this run created, not yet announced to connected clients (drained after each commit). */
  newUsers: string[];
}

export const EPOCH = new Date(0);

/** Slack's "1500000000.000100" as a Date (millisecond precision) and a sortable key (full precision). */
export function parseTs(ts: unknown): { date: Date; key: string } | null {
  if (typeof ts !== 'string' && typeof ts !== 'number') return null;
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(String(ts));
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(6, '0');
  return { date: new Date(Number(m[1]) * 1000 + Math.floor(Number(frac) / 1000)), key: `${m[1]!.padStart(12, '0')}.${frac}` };
}

/**
 * The Parley user for a Slack user id, creating a deactivated placeholder when the export does
 * not describe it (users removed from users.json, integrations, Slackbot).
 */
export async function userFor(ctx: ImportContext, db: Db, slackId: string, display?: string, bot = false): Promise<string> {
  const known = ctx.users.get(slackId);
  if (known) return known.id;
  const id = idAt(EPOCH, `${ctx.source}:user:${slackId}`);
  const isBot = bot || slackId === 'USLACKBOT';
  const target = ctx.placeholdersCommitAlone ? ctx.deps.db : db;
  const slug = slackId.toLowerCase().replace(/[^a-z0-9]/g, '');
  const team = ctx.source.replace(/^slack:/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
  let username = '';
  // Another workspace's import may hold the plain name and email for the same Slack id: then the team goes in them.
  for (const [name, email] of [[`slack-${slug}`, `${slug}@slack-import.invalid`], [`slack-${team}-${slug}`, `${slug}.${team}@slack-import.invalid`]] as const) {
    username = name.slice(0, 32);
    const inserted = await insertUsers(target, [{
      id, username, email, display_name: display || (slackId === 'USLACKBOT' ? 'Slackbot' : username),
      role: 'member', deactivated: true, is_bot: isBot, avatar_url: null,
    }]);
    if (inserted.has(id) || (await existingIds(target, 'users', [id])).has(id)) break;
  }
  ctx.users.set(slackId, { id, username });
  ctx.newUsers.push(id);
  ctx.tally.note(`${isBot ? 'Bot' : 'User'} ${slackId} is not in users.json; created deactivated ${isBot ? 'bot' : 'placeholder'} account @${username}.`);
  return id;
}

/** Runs `work` in its own transaction, or directly inside the dry run's one transaction. */
export async function inTx<T>(ctx: ImportContext, work: (db: Db) => Promise<T>): Promise<T> {
  if (ctx.dry) return work(ctx.db);
  return ctx.db.transaction().execute(work);
}
