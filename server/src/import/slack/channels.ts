// Slack conversations to Parley channels: public (channels.json), private (groups.json),
// group DMs (mpims.json) and DMs (dms.json), with members, topic, purpose, creator, creation
// time and archived state. Slack's #general is Parley's #general; a DM or group DM that the
// same people already have here is the same channel; a taken name gets another (reported).
import { idAt } from '../../ids.js';
import { findByDmKey, findGeneral } from '../../store/channels.js';
import { addMembersAt, channelNames, channelsByIds, insertChannel, loadMap, saveMap } from '../../store/imports.js';
import type { Db } from '../../store/db.js';
import { parseTs, userFor, type ChannelInfo, type ImportContext } from './context.js';
import { unescapeEntities } from './markup.js';

type Json = Record<string, any>;
export type SlackKind = 'public' | 'private' | 'group' | 'dm';
const MAX_GROUP = 8;

export function cleanChannelName(raw: string, fallback: string): string {
  const n = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '').slice(0, 80);
  return n || fallback;
}

export async function importChannels(ctx: ImportContext, db: Db, lists: Array<{ kind: SlackKind; file: string; items: unknown[] }>): Promise<void> {
  const { tally } = ctx;
  const mapped = await loadMap(db, ctx.source, 'channel');
  const general = await findGeneral(db);
  const entries: Array<{ kind: SlackKind; c: Json }> = [];
  const seen = new Set<string>();
  for (const { kind, file, items } of lists) {
    for (const [i, c] of items.entries()) {
      if (typeof c !== 'object' || c === null || typeof (c as Json).id !== 'string') {
        tally.skipped('channels', `${file}[${i}]`, 'no id');
      } else if (seen.has((c as Json).id)) {
        tally.skipped('channels', (c as Json).id, `listed twice (${file})`);
      } else {
        seen.add((c as Json).id);
        entries.push({ kind, c: c as Json });
      }
    }
  }
  const created = (c: Json) => parseTs(c.created)?.date ?? new Date(0);
  const idOf = (c: Json) => mapped.get(c.id) ?? idAt(created(c), `${ctx.source}:channel:${c.id}`);
  const present = new Map((await channelsByIds(db, entries.map((e) => idOf(e.c)))).map((r) => [r.id, r]));
  const wantedNames = entries.filter((e) => e.kind === 'public' || e.kind === 'private' || e.kind === 'group').map((e) => cleanChannelName(String(e.c.name ?? ''), 'channel'));
  const takenRows = await channelNames(db, [...new Set(wantedNames.flatMap((n) => [n, `${n}-slack`]))]);
  const taken = new Map(takenRows.map((r) => [r.name!, r.id]));

  for (const { kind: slackKind, c } of entries) {
    const memberSlackIds: string[] = Array.isArray(c.members) ? c.members.filter((m: unknown) => typeof m === 'string') : [];
    if (slackKind === 'dm' && typeof c.user === 'string' && !memberSlackIds.includes(c.user)) memberSlackIds.push(c.user);
    const members = new Set<string>();
    for (const m of memberSlackIds) members.add(await userFor(ctx, db, m));
    const creator = typeof c.creator === 'string' ? await userFor(ctx, db, c.creator) : null;
    const at = created(c);
    let kind: ChannelInfo['kind'] = slackKind === 'dm' ? 'dm' : slackKind;
    if (slackKind === 'group' && members.size > MAX_GROUP) {
      kind = 'private';
      tally.note(`Group DM ${c.id} has ${members.size} people (Parley group DMs hold ${MAX_GROUP}); imported as a private channel.`);
    }
    if ((kind === 'dm' || kind === 'group') && members.size === 0) {
      tally.skipped('channels', c.id, 'a DM without members');
      continue;
    }
    if (kind === 'group' && members.size <= 2) kind = 'dm';
    const info: ChannelInfo = {
      id: idOf(c), slackId: c.id, kind, name: null, members, pins: new Map(),
      folders: [...new Set([c.name, c.id].filter((x): x is string => typeof x === 'string'))],
    };
    for (const p of Array.isArray(c.pins) ? c.pins : []) {
      if (p && typeof p.id === 'string') info.pins.set(p.id, { user: typeof p.user === 'string' ? p.user : null, at: parseTs(p.created)?.date ?? null });
    }
    const topic = unescapeEntities(String(c.topic?.value ?? '')).slice(0, 250);
    const purpose = unescapeEntities(String(c.purpose?.value ?? '')).slice(0, 250);

    if (c.is_general === true && general && !present.has(info.id)) {
      info.id = general.id;
      info.name = general.name;
      if (!ctx.dry) await saveMap(db, ctx.source, 'channel', c.id, general.id);
      tally.report.matched.push({ kind: 'channel', slackId: c.id, name: general.name ?? 'general', reason: "Slack's #general is Parley's #general" });
      tally.present('channels');
    } else if (present.has(info.id)) {
      info.name = present.get(info.id)!.name;
      info.kind = present.get(info.id)!.kind;
      tally.present('channels');
    } else if (kind === 'dm' || kind === 'group') {
      const dmKey = [...members].sort().join(',');
      const existing = await findByDmKey(db, dmKey);
      if (existing) {
        info.id = existing.id;
        if (!ctx.dry) await saveMap(db, ctx.source, 'channel', c.id, existing.id);
        tally.report.matched.push({ kind: 'channel', slackId: c.id, name: dmKey, reason: 'the same people already have this conversation here' });
        tally.present('channels');
      } else {
        await insertChannel(db, { id: info.id, kind, name: null, topic, purpose, archived: c.is_archived === true, created_by: creator, created_at: at, dm_key: dmKey });
        tally.imported('channels');
      }
    } else {
      const want = cleanChannelName(String(c.name ?? ''), `channel-${String(c.id).toLowerCase()}`);
      let name = want;
      for (let i = 1; taken.has(name) && taken.get(name) !== info.id; i++) name = `${want.slice(0, 70)}-slack${i > 1 ? `-${i}` : ''}`;
      taken.set(name, info.id);
      if (name !== c.name) tally.report.renames.push({ kind: 'channel', slackId: c.id, from: String(c.name ?? ''), to: name });
      info.name = name;
      await insertChannel(db, { id: info.id, kind, name, topic, purpose, archived: c.is_archived === true, created_by: creator, created_at: at, dm_key: null });
      tally.imported('channels');
    }
    await addMembersAt(db, info.id, [...members].map((u) => ({ user_id: u, role: u === creator && kind !== 'dm' && kind !== 'group' ? 'owner' : 'member' })), at);
    ctx.channels.set(c.id, info);
  }
}
