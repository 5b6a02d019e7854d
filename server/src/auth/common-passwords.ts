// The bundled list of the most common passwords (server/resources/common-passwords.txt),
// loaded once on first use. See the file's header for where it comes from.
import fs from 'node:fs';

let list: Set<string> | null = null;

function load(): Set<string> {
  const file = new URL('../../resources/common-passwords.txt', import.meta.url);
  const words = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  return new Set(words.map((w) => w.toLowerCase()));
}

/**
 * True when the password is on the list, ignoring case, or is a listed one followed only by
 * digits and symbols ("baseball2024!" is "baseball" with a suffix, and as guessable).
 */
export function isCommonPassword(password: string): boolean {
  list ??= load();
  const lower = password.toLowerCase();
  if (list.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, '');
  return stem !== lower && stem.length > 0 && list.has(stem);
}

export function commonPasswordCount(): number {
  list ??= load();
  return list.size;
}
