// Slack users to Parley accounts. A user already imported keeps its account; one whose email
// belongs to an existing account is matched to it; otherwise a new account, with the Slack
// username when it is free here and another one (reported) when not. Nobody gets a password:
// people sign in through SSO by email, or an admin sends them a set-password link.
import { idAt } from '../../ids.js';
import { USERNAME_RE } from '../../actions/validate.js';
import { insertUsers, loadMap, saveMap, usersByIds, usersByNameOrEmail, type ImportedUser } from '../../store/imports.js';
import type { Db } from '../../store/db.js';
import { EPOCH, type ImportContext } from './context.js';

type Json = Record<string, any>;
const RESERVED = new Set(['channel', 'here', 'everyone', 'all']);

/** A valid Parley username as close to `raw` as possible. */
export function cleanUsername(raw: string, fallback: string): string {
  let u = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-zA-Z0-9._-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '').slice(0, 32).replace(/[._-]+$/, '');
  if (u.length < 2 || !USERNAME_RE.test(u)) u = fallback;
  return u;
}

function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base.toLowerCase()) && !RESERVED.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = `${base.slice(0, 32 - suffix.length).replace(/[._-]+$/, '')}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export async function importUsers(ctx: ImportContext, db: Db, list: unknown[]): Promise<void> {
  const { tally } = ctx;
  const seen = new Set<string>();
  const valid: Json[] = [];
  for (const [i, u] of list.entries()) {
    if (typeof u !== 'object' || u === null || typeof (u as Json).id !== 'string') {
      tally.skipped('users', `users.json[${i}]`, 'no id');
      continue;
    }
    if (seen.has((u as Json).id)) {
      tally.skipped('users', (u as Json).id, 'listed twice in users.json');
      continue;
    }
    seen.add((u as Json).id);
    valid.push(u as Json);
  }
  valid.sort((a, b) => (a.id < b.id ? -1 : 1));
  const mapped = await loadMap(db, ctx.source, 'user');
  const idOf = (u: Json) => mapped.get(u.id) ?? idAt(EPOCH, `${ctx.source}:user:${u.id}`);
  const present = new Map((await usersByIds(db, valid.map(idOf))).map((r) => [r.id, r.username]));

  const fresh = valid.filter((u) => !present.has(idOf(u)));
  const emailOf = (u: Json) => (typeof u.profile?.email === 'string' && u.profile.email.includes('@') ? u.profile.email.toLowerCase() : null);
  const wanted = fresh.map((u) => cleanUsername(String(u.name ?? ''), `user-${String(u.id).toLowerCase()}`));
  const clashes = await usersByNameOrEmail(db, [...new Set(wanted.map((w) => w.toLowerCase()))], fresh.map(emailOf).filter((e): e is string => !!e));
  const byEmail = new Map(clashes.map((c) => [c.email.toLowerCase(), c]));
  const taken = new Set(clashes.map((c) => c.username.toLowerCase()));
  const emailsUsed = new Set<string>();
  const rows: ImportedUser[] = [];

  for (const u of valid) {
    const id = idOf(u);
    if (present.has(id)) {
      ctx.users.set(u.id, { id, username: present.get(id)! });
      tally.present('users');
    }
  }
  for (const [i, u] of fresh.entries()) {
    const email = emailOf(u);
    const match = email ? byEmail.get(email) : undefined;
    if (match) {
      ctx.users.set(u.id, { id: match.id, username: match.username });
      if (!ctx.dry) await saveMap(db, ctx.source, 'user', u.id, match.id);
      ctx.tally.report.matched.push({ kind: 'user', slackId: u.id, name: match.username, reason: `email ${email} belongs to an existing account` });
      tally.present('users');
      continue;
    }
    const username = uniqueName(wanted[i]!, taken);
    taken.add(username.toLowerCase());
    if (username !== u.name) ctx.tally.report.renames.push({ kind: 'user', slackId: u.id, from: String(u.name ?? ''), to: username });
    let finalEmail = email && !emailsUsed.has(email) ? email : `${String(u.id).toLowerCase()}@slack-import.invalid`;
    if (email && emailsUsed.has(email)) tally.note(`User ${u.id} shares email ${email} with another Slack user; given ${finalEmail}.`);
    if (!email) finalEmail = `${String(u.id).toLowerCase()}@slack-import.invalid`;
    emailsUsed.add(finalEmail);
    const p = (u.profile ?? {}) as Json;
    const display = [p.display_name, p.real_name, u.real_name, u.name].find((x) => typeof x === 'string' && x.trim()) as string | undefined;
    rows.push({
      id: idOf(u), username, email: finalEmail, display_name: (display ?? username).slice(0, 80),
      role: u.is_restricted || u.is_ultra_restricted ? 'guest' : 'member',
      deactivated: u.deleted === true, is_bot: u.is_bot === true || u.id === 'USLACKBOT' || u.is_app_user === true,
      avatar_url: [p.image_original, p.image_512, p.image_192, p.image_72].find((x) => typeof x === 'string') ?? null,
    });
    ctx.users.set(u.id, { id: idOf(u), username });
  }
  const inserted = await insertUsers(db, rows);
  ctx.newUsers.push(...inserted);
  for (const r of rows) {
    if (inserted.has(r.id)) tally.imported('users');
    else {
      tally.skipped('users', r.id, `could not be created as @${r.username} (${r.email}); taken concurrently`);
      ctx.users.delete([...ctx.users].find(([, v]) => v.id === r.id)![0]);
    }
  }
}
