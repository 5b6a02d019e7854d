// What to suggest while someone types a search: the filter under the caret (`from:` →
// people, `in:` → channels and people, `has:` → file/link, `before:` → dates), or the
// filters themselves. Pure functions over plain data, so they are tested without a browser.

export interface SuggestUser { id: string; username: string; displayName: string; deactivated?: boolean }
export interface SuggestChannel { id: string; name: string | null; kind: string }

export interface SearchSuggestion {
  id: string;
  /** What replaces the word under the caret. Ends with a space when the filter is complete. */
  insert: string;
  label: string;
  detail: string;
  kind: 'filter' | 'user' | 'channel' | 'date';
}

export interface SuggestContext {
  users: SuggestUser[];
  channels: SuggestChannel[];
  /** My own id: `from:me` is offered, and I am not offered as someone to DM. */
  me: string;
  now: Date;
}

const FILTERS: Array<{ insert: string; detail: string }> = [
  { insert: 'from:', detail: 'Messages from a person' },
  { insert: 'in:', detail: 'Messages in a channel or conversation' },
  { insert: 'has:file', detail: 'Messages with files' },
  { insert: 'has:link', detail: 'Messages with links' },
  { insert: 'is:thread', detail: 'Thread replies and their roots' },
  { insert: 'before:', detail: 'Before a date (YYYY-MM-DD)' },
  { insert: 'after:', detail: 'After a date (YYYY-MM-DD)' },
  { insert: 'on:', detail: 'On a date (YYYY-MM-DD)' },
];

const LIMIT = 8;

/** The word under the caret: from the last space before it to the next space after it. */
export function wordAt(text: string, caret: number): { start: number; end: number; word: string } {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { start, end, word: text.slice(start, caret) };
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

function people(q: string, ctx: SuggestContext, prefix: string, withMe: boolean): SearchSuggestion[] {
  const query = q.replace(/^@/, '').toLowerCase();
  const out: SearchSuggestion[] = [];
  if (withMe && 'me'.startsWith(query)) out.push({ id: `${prefix}me`, insert: `${prefix}me `, label: `${prefix}me`, detail: 'You', kind: 'user' });
  const matches = ctx.users
    .filter((u) => !u.deactivated && (withMe || u.id !== ctx.me))
    .filter((u) => u.username.toLowerCase().startsWith(query) || u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(query)))
    .sort((a, b) => Number(b.username.toLowerCase().startsWith(query)) - Number(a.username.toLowerCase().startsWith(query))
      || a.username.localeCompare(b.username));
  for (const u of matches) {
    out.push({ id: `${prefix}@${u.id}`, insert: `${prefix}@${u.username} `, label: `${prefix}@${u.username}`, detail: u.displayName, kind: 'user' });
  }
  return out.slice(0, LIMIT);
}

function channels(q: string, ctx: SuggestContext): SearchSuggestion[] {
  const query = q.replace(/^#/, '').toLowerCase();
  return ctx.channels
    .filter((c): c is SuggestChannel & { name: string } => !!c.name && (c.kind === 'public' || c.kind === 'private') && c.name.includes(query))
    .sort((a, b) => Number(b.name.startsWith(query)) - Number(a.name.startsWith(query)) || a.name.localeCompare(b.name))
    .slice(0, LIMIT)
    .map((c) => ({ id: `in:#${c.id}`, insert: `in:#${c.name} `, label: `in:#${c.name}`, detail: c.kind === 'private' ? 'Private channel' : 'Channel', kind: 'channel' }));
}

function dates(key: string, q: string, now: Date): SearchSuggestion[] {
  const day = 86_400_000;
  const options: Array<[string, string]> = [
    [utcDay(now), 'today'],
    [utcDay(new Date(now.getTime() - day)), 'yesterday'],
    [utcDay(new Date(now.getTime() - 7 * day)), 'a week ago'],
    [utcDay(new Date(now.getTime() - 30 * day)), '30 days ago'],
  ];
  return options
    .filter(([d]) => d.startsWith(q))
    .map(([d, detail]) => ({ id: `${key}${d}`, insert: `${key}${d} `, label: `${key}${d}`, detail, kind: 'date' as const }));
}

/** Suggestions for the word under the caret (none when it is a finished word or phrase). */
export function searchSuggestions(text: string, caret: number, ctx: SuggestContext): SearchSuggestion[] {
  const { word } = wordAt(text, caret);
  const lower = word.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon > 0) {
    const key = lower.slice(0, colon + 1);
    const rest = word.slice(colon + 1);
    if (key === 'from:') return people(rest, ctx, 'from:', true);
    if (key === 'in:') return rest.startsWith('@') ? people(rest, ctx, 'in:', false) : [...channels(rest, ctx), ...(rest ? [] : people('', ctx, 'in:', false))].slice(0, LIMIT);
    if (key === 'before:' || key === 'after:' || key === 'on:') return dates(key, rest, ctx.now);
    if (key === 'has:' || key === 'is:') {
      return FILTERS.filter((f) => f.insert.startsWith(lower) && f.insert !== lower)
        .map((f) => ({ id: f.insert, insert: `${f.insert} `, label: f.insert, detail: f.detail, kind: 'filter' as const }));
    }
    return [];
  }
  // A phrase, an exclusion or a plain word longer than any filter name: nothing to suggest.
  if (word.startsWith('"') || word.startsWith('-') || (word && !FILTERS.some((f) => f.insert.startsWith(lower)))) return [];
  return FILTERS.filter((f) => f.insert.startsWith(lower))
    .map((f) => ({ id: f.insert, insert: f.insert.endsWith(':') ? f.insert : `${f.insert} `, label: f.insert, detail: f.detail, kind: 'filter' as const }));
}

/** The text and caret after choosing a suggestion: it replaces the word under the caret. */
export function applySuggestion(text: string, caret: number, s: SearchSuggestion): { text: string; caret: number } {
  const { start, end } = wordAt(text, caret);
  let after = text.slice(end);
  // The suggestion brings its own space; do not double the one already there.
  if (s.insert.endsWith(' ') && after.startsWith(' ')) after = after.slice(1);
  return { text: text.slice(0, start) + s.insert + after, caret: start + s.insert.length };
}

/** The words of a query without its filters: what file names are searched for. */
export function freeText(q: string): string {
  return q
    .replace(/"([^"]*)"/g, ' $1 ')
    .split(/\s+/)
    .filter((w) => w && !/^-/.test(w) && !/^(from|in|before|after|on|has|is):/i.test(w) && w.toLowerCase() !== 'or')
    .join(' ');
}
