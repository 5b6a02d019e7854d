// Files are found by name on the server (GET /files?query=), which knows nothing of the
// message filters. So that "launch from:@ben" does not list Ana's launch-plan.pdf, the
// filters that make sense for a file are applied here to the files' own fields.

export interface FilterFile { userId: string; channelId: string | null; createdAt: string }
export interface FilterLookup {
  me: string;
  /** Username (lowercase) → user id. */
  userIds: Record<string, string>;
  /** Channel name → channel id (my channels). */
  channelIds: Record<string, string>;
}

/**
 * A predicate for the files that match the query's filters, or null when no file can match
 * (filters about message text or threads: has:link, is:thread, in:@someone).
 */
export function fileFilter(q: string, lookup: FilterLookup): ((f: FilterFile) => boolean) | null {
  const tests: Array<(f: FilterFile) => boolean> = [];
  for (const word of q.split(/\s+/)) {
    const m = /^(from|in|before|after|on|has|is):(.*)$/i.exec(word);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.toLowerCase();
    if (key === 'from') {
      const id = value === 'me' ? lookup.me : lookup.userIds[value.replace(/^@/, '')];
      tests.push((f) => f.userId === id);
    } else if (key === 'in') {
      if (value.startsWith('@')) return null;
      const id = lookup.channelIds[value.replace(/^#/, '')];
      tests.push((f) => f.channelId === id);
    } else if (key === 'before' || key === 'after' || key === 'on') {
      // UTC days, as the server reads them.
      tests.push((f) => {
        const day = f.createdAt.slice(0, 10);
        return key === 'before' ? day < value : key === 'after' ? day > value : day === value;
      });
    } else if (!(key === 'has' && value === 'file')) return null;
  }
  return (f) => tests.every((t) => t(f));
}
