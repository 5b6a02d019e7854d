// One conversation's day files to messages, in batches that each commit with the run's
// progress. Ids come from the channel and Slack's ts, so a batch finds what an earlier run
// wrote and adds only the rest; seqs are claimed under the channel row lock in ts order,
// reply seqs on the root row, exactly as live posting does.
import { idAt } from '../../ids.js';
import { EMOJI_RE } from '../../actions/validate.js';
import { storeFileAs } from '../../actions/files.js';
import { cleanName, TooLarge } from '../../files/intake.js';
import { InvalidImage } from '../../files/images.js';
import { insertFiles } from '../../store/files.js';
import {
  bumpRoots, existingRoots, filesById, followAndReadThreads, idsInRange, insertMessages, insertReactions,
  lockChannelSeq, markChannelRead, readThreadsTo, setChannelSeq, type BulkMessage,
} from '../../store/imports.js';
import type { Db } from '../../store/db.js';
import type { NewFile } from '../../store/schema.js';
import { parseTs, userFor, type ChannelInfo, type ImportContext } from './context.js';
import { convertMarkup } from './markup.js';
import { isUnfurl, renderAttachments, renderBlocks } from './render.js';

type Json = Record<string, any>;

/** A Slack message made ready to write. */
export interface Pending {
  id: string;
  tsKey: string;
  date: Date;
  slackTs: string;
  rootId: string | null;
  /** Author (Slack id) and how to create it if unknown. */
  author: { slackId: string; display?: string; bot: boolean };
  text: string;
  mentionSlackIds: string[];
  mentionIds: string[];
  broadcast: 'channel' | 'here' | null;
  subtype: string | null;
  edited: Date | null;
  deleted: boolean;
  pinned: { by: string | null; at: Date } | null;
  reactions: Array<{ emoji: string; users: string[] }>;
  files: Json[];
}

const SYSTEM: Record<string, string> = {
  channel_join: 'join', group_join: 'join', channel_leave: 'leave', group_leave: 'leave',
  channel_topic: 'topic', group_topic: 'topic', channel_purpose: 'purpose', group_purpose: 'purpose',
  channel_name: 'rename', group_name: 'rename', channel_archive: 'archive', group_archive: 'archive',
  channel_unarchive: 'unarchive', group_unarchive: 'unarchive',
};
const ORDINARY = new Set(['file_share', 'thread_broadcast', 'me_message', 'bot_message', 'tombstone', 'slackbot_response']);
const RECORDS = new Set(['message_changed', 'message_deleted', 'message_replied']);

export function convertMessage(ctx: ImportContext, ch: ChannelInfo, m: Json, where: string): Pending | { skip: string; kind: 'messages' | 'threadReplies'; id: string } {
  const ts = parseTs(m.ts);
  const isReply = typeof m.thread_ts === 'string' && m.thread_ts !== m.ts;
  const kind = isReply ? 'threadReplies' as const : 'messages' as const;
  if (!ts) return { skip: 'no valid ts', kind, id: `${where}: ${JSON.stringify(m).slice(0, 80)}` };
  const subtype = typeof m.subtype === 'string' ? m.subtype : null;
  if (subtype && RECORDS.has(subtype)) return { skip: `a ${subtype} event record (the message itself carries its current state)`, kind, id: `${ch.slackId}/${m.ts}` };
  const ref = { user: (id: string) => ctx.users.get(id) ?? null, channel: (id: string) => ctx.channels.get(id)?.name ?? null };
  let raw = typeof m.text === 'string' ? m.text : '';
  if (subtype === 'me_message' && raw) raw = `_${raw}_`;
  const atts = Array.isArray(m.attachments) ? m.attachments : [];
  if (!raw.trim()) raw = [renderBlocks(m.blocks), renderAttachments(atts)].filter(Boolean).join('\n');
  else {
    const extra = renderAttachments(atts.filter((a: unknown) => !isUnfurl(a)));
    if (extra) raw = `${raw}\n${extra}`;
  }
  const converted = convertMarkup(raw, ref);
  const files = Array.isArray(m.files) ? m.files.filter((f: unknown) => typeof f === 'object' && f !== null) : [];
  const deleted = subtype === 'tombstone';
  const mapped = subtype ? (SYSTEM[subtype] ?? (subtype === 'bot_message' ? 'bot' : subtype === 'thread_broadcast' ? 'broadcast'
    : subtype === 'me_message' ? 'me' : ORDINARY.has(subtype) ? null : 'system')) : null;
  if (!deleted && !converted.text.trim() && files.length === 0) {
    return { skip: subtype ? `subtype ${subtype} with no text, attachments, blocks or files` : 'empty message', kind, id: `${ch.slackId}/${m.ts}` };
  }
  const botId = typeof m.bot_id === 'string' ? m.bot_id : null;
  const author = typeof m.user === 'string' && m.user ? { slackId: m.user, bot: false }
    : botId ? { slackId: `B:${botId}`, display: String(m.username ?? m.bot_profile?.name ?? botId), bot: true }
      : { slackId: 'UNKNOWN', display: 'Unknown Slack user', bot: false };
  const pinnedTo: string[] = Array.isArray(m.pinned_to) ? m.pinned_to : [];
  const pinInfo = ch.pins.get(String(m.ts));
  const pinned = pinnedTo.includes(ch.slackId) || pinInfo
    ? { by: pinInfo?.user ?? (typeof m.user === 'string' ? m.user : null), at: pinInfo?.at ?? ts.date } : null;
  const reactions = (Array.isArray(m.reactions) ? m.reactions : []).filter((r: unknown) => typeof r === 'object' && r !== null)
    .map((r: Json) => ({ emoji: String(r.name ?? ''), users: Array.isArray(r.users) ? r.users.filter((u: unknown) => typeof u === 'string') : [], count: Number(r.count) || 0 }));
  for (const r of reactions) {
    const missing = r.count - r.users.length;
    if (missing > 0) ctx.tally.skipped('reactions', `${ch.slackId}/${m.ts} :${r.emoji}:`, `the export lists ${r.users.length} of ${r.count} people`, missing);
  }
  return {
    id: idAt(ts.date, `${ctx.source}:msg:${ch.slackId}:${m.ts}`),
    tsKey: ts.key, date: ts.date, slackTs: String(m.ts),
    rootId: isReply ? idAt(parseTs(m.thread_ts)?.date ?? ts.date, `${ctx.source}:msg:${ch.slackId}:${m.thread_ts}`) : null,
    author, text: deleted ? '' : converted.text, mentionSlackIds: [], mentionIds: converted.userIds.filter((u) => ch.members.has(u)),
    broadcast: converted.broadcast, subtype: deleted ? null : mapped,
    edited: parseTs(m.edited?.ts)?.date ?? null, deleted, pinned, reactions, files,
  };
}

/** Writes one batch of a conversation. Runs inside the batch's transaction. */
export async function writeBatch(ctx: ImportContext, db: Db, ch: ChannelInfo, batch: Pending[]): Promise<void> {
  const { tally } = ctx;
  batch.sort((a, b) => (a.tsKey < b.tsKey ? -1 : a.tsKey > b.tsKey ? 1 : 0));
  // The same ts twice in an export (it happens when files overlap) is one message.
  const unique: Pending[] = [];
  const seenIds = new Set<string>();
  for (const p of batch) {
    if (seenIds.has(p.id)) tally.skipped(p.rootId ? 'threadReplies' : 'messages', `${ch.slackId}/${p.slackTs}`, 'the same ts appears twice; kept the first');
    else {
      seenIds.add(p.id);
      unique.push(p);
    }
  }
  const lastSeq = await lockChannelSeq(db, ch.id);
  const inRange = unique.length ? await idsInRange(db, ch.id, unique[0]!.date, unique[unique.length - 1]!.date) : new Set<string>();
  const present = new Set(unique.filter((p) => inRange.has(p.id)).map((p) => p.id));
  const fresh = unique.filter((p) => !present.has(p.id));
  const freshTop = new Set(fresh.filter((p) => !p.rootId).map((p) => p.id));
  const roots = await existingRoots(db, [...new Set(fresh.filter((p) => p.rootId && !freshTop.has(p.rootId)).map((p) => p.rootId!))]);
  for (const p of fresh) {
    if (p.rootId && !freshTop.has(p.rootId) && !roots.has(p.rootId)) {
      tally.note(`Reply ${ch.slackId}/${p.slackTs}: its thread root is not in the export; imported as a channel message.`);
      (p as { orphan?: boolean }).orphan = true;
    }
  }
  const isTop = (p: Pending) => !p.rootId || (p as { orphan?: boolean }).orphan === true;

  const userId = async (p: Pending) => userFor(ctx, db, p.author.slackId, p.author.display, p.author.bot);
  const toRow = async (p: Pending, seq: number, top: boolean): Promise<BulkMessage> => ({
    id: p.id, channel_id: ch.id, user_id: await userId(p), text: p.text, thread_root_id: top ? null : p.rootId, seq,
    created_at: p.date, edited_at: p.edited, deleted_at: p.deleted ? p.date : null,
    pinned_at: p.pinned?.at ?? null, pinned_by: p.pinned ? (p.pinned.by ? await userFor(ctx, db, p.pinned.by) : await userId(p)) : null,
    mentions: p.mentionIds, broadcast_mention: p.broadcast, subtype: p.subtype,
  });

  let seq = lastSeq;
  const topRows: BulkMessage[] = [];
  for (const p of fresh.filter(isTop)) topRows.push(await toRow(p, ++seq, true));
  if (seq !== lastSeq) await setChannelSeq(db, ch.id, seq);
  await insertMessages(db, topRows);

  const replies = fresh.filter((p) => !isTop(p));
  const byRoot = new Map<string, Pending[]>();
  for (const p of replies) {
    let list = byRoot.get(p.rootId!);
    if (!list) byRoot.set(p.rootId!, (list = []));
    list.push(p);
  }
  const bumped = await bumpRoots(db, [...byRoot].map(([id, list]) => ({ id, n: list.length, last: list[list.length - 1]!.date })));
  const replyRows: BulkMessage[] = [];
  const follows: Array<{ root_id: string; user_id: string }> = [];
  const rootAuthors = new Map([...roots, ...topRows.map((r) => [r.id, r.user_id] as const)]);
  for (const [rootId, list] of byRoot) {
    let s = (bumped.get(rootId) ?? list.length) - list.length;
    const followers = new Set<string>([rootAuthors.get(rootId)!].filter(Boolean));
    for (const p of list) {
      const row = await toRow(p, ++s, false);
      replyRows.push(row);
      followers.add(row.user_id);
      for (const u of row.mentions) followers.add(u);
    }
    for (const u of followers) if (ch.kind === 'public' || ch.members.has(u)) follows.push({ root_id: rootId, user_id: u });
  }
  await insertMessages(db, replyRows);

  // Outcomes per message, and what hangs off each one.
  for (const p of unique) {
    // A reply stays a reply in the counts even when its root is missing and it became a channel message.
    const kind = p.rootId ? 'threadReplies' : 'messages';
    if (present.has(p.id)) tally.present(kind);
    else tally.imported(kind);
    if (p.pinned) present.has(p.id) ? tally.present('pins') : tally.imported('pins');
    if (p.edited) present.has(p.id) ? tally.present('edits') : tally.imported('edits');
  }
  const reactionRows: Array<{ message_id: string; emoji: string; user_id: string; created_at: Date }> = [];
  for (const p of unique) {
    for (const r of p.reactions) {
      if (!EMOJI_RE.test(r.emoji)) {
        tally.skipped('reactions', `${ch.slackId}/${p.slackTs} :${r.emoji}:`, 'not a valid emoji shortcode', Math.max(1, r.users.length));
        continue;
      }
      for (const u of r.users) reactionRows.push({ message_id: p.id, emoji: r.emoji, user_id: await userFor(ctx, db, u), created_at: p.date });
    }
  }
  const dedup = new Map(reactionRows.map((r) => [`${r.message_id} ${r.emoji} ${r.user_id}`, r]));
  if (dedup.size < reactionRows.length) tally.skipped('reactions', ch.slackId, 'the same person listed twice on one emoji', reactionRows.length - dedup.size);
  const added = await insertReactions(db, [...dedup.values()]);
  if (added > 0) tally.imported('reactions', added);
  if (dedup.size - added > 0) tally.present('reactions', dedup.size - added);

  await writeFiles(ctx, db, ch, unique);
  await markChannelRead(db, ch.id);
  await followAndReadThreads(db, follows, []);
  await readThreadsTo(db, [...byRoot.keys()].map((id) => ({ id, seq: bumped.get(id) ?? 0 })));
}

async function writeFiles(ctx: ImportContext, db: Db, ch: ChannelInfo, batch: Pending[]): Promise<void> {
  const { tally } = ctx;
  const wanted: Array<{ p: Pending; f: Json; id: string }> = [];
  for (const p of batch) {
    for (const f of p.files) {
      const label = `${ch.slackId}/${p.slackTs} file ${String(f.id ?? '?')} ${String(f.name ?? '')}`.trim();
      if (typeof f.id !== 'string') tally.skipped('files', label, 'no file id');
      else if (f.mode === 'tombstone') tally.skipped('files', label, 'deleted in Slack');
      else if (f.mode === 'hidden_by_limit') tally.skipped('files', label, "hidden by Slack's plan limit; not in the export");
      else if (f.is_external) tally.skipped('files', label, `an external file (${String(f.url_private ?? f.permalink ?? '')}); only the link exists`);
      else wanted.push({ p, f, id: idAt(p.date, `${ctx.source}:file:${f.id}`) });
    }
  }
  const existing = await filesById(db, wanted.map((w) => w.id));
  const rows: NewFile[] = [];
  // Shared by the conversations written at once: a file shared in two of them goes to one.
  const claimed = ctx.claimedFiles;
  for (const { p, f, id } of wanted) {
    const label = `${ch.slackId}/${p.slackTs} file ${f.id} ${String(f.name ?? '')}`;
    if (existing.has(id) || claimed.has(id)) {
      if (existing.get(id) === p.id) tally.present('files');
      else tally.skipped('files', label, 'already shared with an earlier message (a Parley file belongs to one message)');
      continue;
    }
    const body = findBody(ctx, f);
    if (!body.name) {
      tally.skipped('files', label, body.reason);
      continue;
    }
    claimed.add(id);
    if (ctx.dry) {
      tally.imported('files');
      continue;
    }
    try {
      const user = await userFor(ctx, db, p.author.slackId, p.author.display, p.author.bot);
      const row = await storeFileAs(ctx.deps, user, id, { filename: cleanName(String(f.name ?? f.title ?? 'file')), stream: await ctx.zip.stream(body.name) });
      rows.push({ ...row, message_id: p.id, channel_id: ch.id, created_at: p.date });
      tally.imported('files');
    } catch (err) {
      const reason = err instanceof TooLarge ? `larger than the ${err.limit}-byte file limit`
        : err instanceof InvalidImage ? `an image that cannot be decoded (${err.message})` : `could not be read or stored (${(err as Error).message})`;
      tally.skipped('files', label, reason);
    }
  }
  await insertFiles(db, rows);
}

/** `__uploads/<fileId>/<name>` as export tools write it (any single body under the file's folder also does). */
function findBody(ctx: ImportContext, f: Json): { name: string | null; reason: string } {
  const exact = `__uploads/${f.id}/${String(f.name ?? '')}`;
  if (ctx.zip.has(exact)) return { name: exact, reason: '' };
  const refused = ctx.refused.get(exact) ?? ctx.uploads.refused.get(String(f.id));
  if (refused) return { name: null, reason: `its body in the zip was refused: ${refused}` };
  const any = ctx.uploads.bodies.get(String(f.id));
  if (any) return { name: any, reason: '' };
  return { name: null, reason: 'its body is not in the export (the zip has no __uploads entry for it)' };
}
