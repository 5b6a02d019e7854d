// Short-lived, single-use sign-in and enrolment steps (see migration 004).
import type { Db } from './db.js';
import type { ChallengeRow } from './schema.js';

export function insertChallenge(db: Db, row: {
  id: string; kind: ChallengeRow['kind']; token_hash?: string | null; user_id?: string | null; challenge?: string | null; expires_at: Date;
}): Promise<ChallengeRow> {
  return db.insertInto('auth_challenges').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live challenge by its token's hash, locked for the rest of the transaction. */
export function findLiveByToken(db: Db, kind: ChallengeRow['kind'], tokenHash: string): Promise<ChallengeRow | undefined> {
  return db.selectFrom('auth_challenges').selectAll().where('kind', '=', kind).where('token_hash', '=', tokenHash)
    .where('expires_at', '>', new Date()).forUpdate().executeTakeFirst();
}

export async function setChallenge(db: Db, id: string, challenge: string): Promise<void> {
  await db.updateTable('auth_challenges').set({ challenge }).where('id', '=', id).execute();
}

export async function countAttempt(db: Db, id: string): Promise<number> {
  const r = await db.updateTable('auth_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).returning('attempts').executeTakeFirst();
  return r?.attempts ?? 0;
}

export async function deleteChallenge(db: Db, id: string): Promise<void> {
  await db.deleteFrom('auth_challenges').where('id', '=', id).execute();
}

/** Housekeeping: expired challenges are useless; drop them now and then. */
export async function deleteExpired(db: Db): Promise<void> {
  await db.deleteFrom('auth_challenges').where('expires_at', '<', new Date()).execute();
}

/** Uses up a live challenge in one statement (single use even under concurrent answers). */
export function takeChallenge(db: Db, kind: ChallengeRow['kind'], id: string, userId: string | null): Promise<ChallengeRow | undefined> {
  let q = db.deleteFrom('auth_challenges').where('kind', '=', kind).where('id', '=', id).where('expires_at', '>', new Date());
  q = userId === null ? q.where('user_id', 'is', null) : q.where('user_id', '=', userId);
  return q.returningAll().executeTakeFirst();
}
