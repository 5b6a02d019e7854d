// Single sign-on rows: linked identities, pending sign-ins, used SAML assertion ids, and the
// admin-edited SSO configuration (one settings row, secrets sealed by the caller).
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { ChannelRow, SsoIdentitiesTable, UserRow } from './schema.js';

type Provider = SsoIdentitiesTable['provider'];
const CONFIG_KEY = 'sso_config';

export function findLinkedUser(db: Db, provider: Provider, subject: string): Promise<UserRow | undefined> {
  return db.selectFrom('sso_identities as i').innerJoin('users as u', 'u.id', 'i.user_id').selectAll('u')
    .where('i.provider', '=', provider).where('i.subject', '=', subject).executeTakeFirst();
}

export async function linkIdentity(db: Db, provider: Provider, subject: string, userId: string): Promise<void> {
  await db.insertInto('sso_identities').values({ provider, subject, user_id: userId, last_login_at: new Date() })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doUpdateSet({ last_login_at: new Date() })).execute();
}

export async function countIdentities(db: Db, provider: Provider): Promise<number> {
  const r = await db.selectFrom('sso_identities').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('provider', '=', provider).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Every linked identity of a provider with its user (for directory sync). */
export function listIdentities(db: Db, provider: Provider): Promise<Array<{ subject: string; user_id: string; deactivated: boolean }>> {
  return db.selectFrom('sso_identities as i').innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['i.subject', 'i.user_id', 'u.deactivated']).where('i.provider', '=', provider).execute();
}

export async function saveRequest(db: Db, key: string, provider: string, data: Record<string, string>, expiresAt: Date): Promise<void> {
  await db.deleteFrom('sso_requests').where('expires_at', '<', new Date()).execute();
  await db.insertInto('sso_requests').values({ key, provider, data: JSON.stringify(data), expires_at: expiresAt }).execute();
}

export async function peekRequest(db: Db, key: string, provider: string): Promise<Record<string, string> | undefined> {
  const row = await db.selectFrom('sso_requests').select('data').where('key', '=', key).where('provider', '=', provider)
    .where('expires_at', '>', new Date()).executeTakeFirst();
  return row ? parse(row.data) : undefined;
}

/** Uses up a pending sign-in in one statement: a state is good once. */
export async function takeRequest(db: Db, key: string, provider: string): Promise<Record<string, string> | undefined> {
  const row = await db.deleteFrom('sso_requests').where('key', '=', key).where('provider', '=', provider)
    .where('expires_at', '>', new Date()).returning('data').executeTakeFirst();
  return row ? parse(row.data) : undefined;
}

const parse = (v: unknown): Record<string, string> => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, string>;

/** Records a SAML assertion id; false when it was seen before (a replay). */
export async function markAssertionSeen(db: Db, id: string, expiresAt: Date): Promise<boolean> {
  await db.deleteFrom('saml_assertions_seen').where('expires_at', '<', new Date()).execute();
  const r = await db.insertInto('saml_assertions_seen').values({ id, expires_at: expiresAt })
    .onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  return r !== undefined;
}

export async function readStoredConfig(db: Db): Promise<unknown | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CONFIG_KEY).executeTakeFirst();
  if (!row) return undefined;
  return typeof row.value === 'string' ? JSON.parse(row.value) : row.value;
}

export async function writeStoredConfig(db: Db, value: unknown): Promise<void> {
  const json = JSON.stringify(value);
  await db.insertInto('settings').values({ key: CONFIG_KEY, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

/** Live (not archived) public or private channels by name, for group → channel mappings. */
export function findChannelsByNames(db: Db, names: readonly string[]): Promise<ChannelRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').selectAll().where('name', 'in', [...names]).where('kind', 'in', ['public', 'private'])
    .where('archived', '=', false).execute();
}

export async function assertionSeen(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('saml_assertions_seen').select('id').where('id', '=', id).where('expires_at', '>', new Date()).executeTakeFirst()) !== undefined;
}
