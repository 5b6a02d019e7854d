// Id generation behind one seam. Ids are UUIDv7: time-ordered, globally unique (so that
// federation can merge two servers' rows) and derivable from a timestamp for imports.
import { createHash } from 'node:crypto';
import { UUID, uuidv7 } from 'uuidv7';

export function newId(): string {
  return uuidv7();
}

/** A deterministic UUIDv7 for an imported record: same (time, key) in, same id out. */
export function idAt(time: Date, key: string): string {
  const h = createHash('sha256').update(key).digest();
  const randA = h.readUInt16BE(0) & 0x0fff;
  const randBHi = h.readUInt32BE(2) & 0x3fffffff;
  const randBLo = h.readUInt32BE(6);
  return UUID.fromFieldsV7(time.getTime(), randA, randBHi, randBLo).toString();
}

/** A UUID in its plain hyphenated form only (no braces, no urn:uuid: prefix), as PostgreSQL stores it. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
