// Parses a search box's text into free text and filters, as Slack users type them:
//   deploy "staging db" -flaky from:@ana in:#ops after:2025-01-31 has:link is:thread
// Filters are recognised only for known keys outside quotes, so "https://x" and "10:30" stay
// text. The free text is left for PostgreSQL's websearch_to_tsquery, which understands
// "phrases", -exclusions and `or`, and never fails on odd input. Pure: no database here.
import { AppError } from '../errors.js';

export interface ParsedSearch {
  /** Free text for websearch_to_tsquery, or '' when the query is filters only. */
  text: string;
  /** Usernames (without @, lowercased) and the word `me`; several mean "any of them". */
  from: string[];
  /** Channel names (`#name` → name) or DMs (`@user` → {dm: user}); several mean "any of them". */
  in: Array<{ channel: string } | { dm: string }>;
  /** Half-open UTC range [after, before) on the creation time, from before:/after:/on:. */
  after: Date | null;
  before: Date | null;
  hasLink: boolean;
  hasFile: boolean;
  isThread: boolean;
}

const MAX_QUERY = 1000;
const MAX_FILTERS = 20;
const DAY = 86_400_000;
const FILTER_KEYS = new Set(['from', 'in', 'before', 'after', 'on', 'has', 'is']);

export const invalid = (message: string) => new AppError(400, 'search_query_invalid', message);

/** A YYYY-MM-DD calendar date as the UTC midnight that starts it. */
function parseDate(key: string, value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const bad = () => invalid(`${key}: takes a date written YYYY-MM-DD, like ${key}:2025-03-14.`);
  if (!m) throw bad();
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const date = new Date(t);
  // Date.UTC rolls 2025-02-31 over into March; a real date survives the round trip.
  if (y < 1970 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) throw bad();
  return date;
}

const later = (a: Date | null, b: Date) => (a && a > b ? a : b);
const earlier = (a: Date | null, b: Date) => (a && a < b ? a : b);

/**
 * Splits the query into tokens: a "quoted phrase" (quotes kept, an unclosed one runs to the
 * end), or a run of non-space characters that may itself contain a quoted part.
 */
function tokenize(q: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i]!)) i++;
    if (i >= q.length) break;
    let j = i;
    let quoted = false;
    while (j < q.length && (quoted || !/\s/.test(q[j]!))) {
      if (q[j] === '"') quoted = !quoted;
      j++;
    }
    tokens.push(q.slice(i, j));
    i = j;
  }
  return tokens;
}

export function parseSearch(raw: string): ParsedSearch {
  // NUL cannot be stored in PostgreSQL text; other control characters only separate words.
  // eslint-disable-next-line no-control-regex
  const q = raw.replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (q.length > MAX_QUERY) throw invalid(`A search can be at most ${MAX_QUERY} characters.`);
  const out: ParsedSearch = { text: '', from: [], in: [], after: null, before: null, hasLink: false, hasFile: false, isThread: false };
  const words: string[] = [];
  let filters = 0;
  for (const token of tokenize(q)) {
    const m = /^(-?)([a-zA-Z]+):(.*)$/s.exec(token);
    const key = m?.[2]!.toLowerCase();
    if (!m || !key || !FILTER_KEYS.has(key)) {
      words.push(token);
      continue;
    }
    if (m[1]) throw invalid(`Filters cannot be negated: remove the "-" before ${key}:.`);
    if (++filters > MAX_FILTERS) throw invalid(`A search can have at most ${MAX_FILTERS} filters.`);
    const value = m[3]!;
    if (!value) throw invalid(`${key}: needs a value, like ${example(key)}.`);
    switch (key) {
      case 'from': {
        const name = value.replace(/^@/, '').toLowerCase();
        if (!/^[a-z0-9._-]{1,64}$/.test(name)) throw invalid(`from: takes a username, like from:@ana.`);
        out.from.push(name);
        break;
      }
      case 'in': {
        if (value.startsWith('@')) {
          const name = value.slice(1).toLowerCase();
          if (!/^[a-z0-9._-]{1,64}$/.test(name)) throw invalid('in:@ takes a username, for the direct messages with that person.');
          out.in.push({ dm: name });
        } else {
          const name = value.replace(/^#/, '').toLowerCase();
          if (!/^[a-z0-9_-]{1,80}$/.test(name)) throw invalid('in: takes a channel name, like in:#general.');
          out.in.push({ channel: name });
        }
        break;
      }
      case 'before':
        out.before = earlier(out.before, parseDate(key, value));
        break;
      case 'after':
        out.after = later(out.after, new Date(parseDate(key, value).getTime() + DAY));
        break;
      case 'on': {
        const day = parseDate(key, value);
        out.after = later(out.after, day);
        out.before = earlier(out.before, new Date(day.getTime() + DAY));
        break;
      }
      case 'has': {
        const v = value.toLowerCase();
        if (v === 'link') out.hasLink = true;
        else if (v === 'file') out.hasFile = true;
        else throw invalid('has: takes link or file.');
        break;
      }
      case 'is':
        if (value.toLowerCase() !== 'thread') throw invalid('is: takes thread.');
        out.isThread = true;
        break;
    }
  }
  out.text = words.join(' ');
  return out;
}

function example(key: string): string {
  return ({ from: 'from:@ana', in: 'in:#general', has: 'has:link', is: 'is:thread' } as Record<string, string>)[key] ?? `${key}:2025-03-14`;
}

/** True when the query narrows the messages by something other than words. */
export function hasFilters(p: ParsedSearch): boolean {
  return p.from.length > 0 || p.in.length > 0 || p.after !== null || p.before !== null || p.hasLink || p.hasFile || p.isThread;
}
