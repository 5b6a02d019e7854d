// The search panel's state: the query that was run, its pages of results (appended by
// "load more" with the server's cursor), and the files whose names match its words.
import type { FileInfo, SearchPage, SearchResult, SearchSort } from '@parley/protocol';
import { create } from 'zustand';
import { get } from '../../api/http';
import { ApiError } from '../../api/http';
import { getStore } from '../../store/store';
import { fileFilter } from './fileFilter';
import { freeText } from './suggestions';

export interface SearchState {
  open: boolean;
  /** The query the results are for (the box may already hold an edited one). */
  query: string;
  sort: SearchSort;
  results: SearchResult[];
  nextCursor: string | null;
  loading: null | 'first' | 'more';
  error: string | null;
  files: FileInfo[];
  /** Bumped for every new search, so an answer to an older one is dropped. */
  run: number;
}

const initial: SearchState = { open: false, query: '', sort: 'relevance', results: [], nextCursor: null, loading: null, error: null, files: [], run: 0 };

export const useSearch = create<SearchState>()(() => initial);
const set = useSearch.setState;

const qs = (o: Record<string, string | undefined>) =>
  Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');

const fetchPage = (q: string, sort: SearchSort, cursor?: string) => get<SearchPage>(`/search?${qs({ q, sort, cursor, limit: '20' })}`);
const fetchFiles = (q: string) => get<{ files: FileInfo[]; hasMore: boolean }>(`/files?${qs({ query: q, limit: '10' })}`);

const message = (err: unknown) => (err instanceof ApiError ? err.message : 'Search is not available right now.');

export async function runSearch(query: string, sort: SearchSort = useSearch.getState().sort): Promise<void> {
  const q = query.trim();
  if (!q) return;
  const run = useSearch.getState().run + 1;
  set({ open: true, query: q, sort, results: [], nextCursor: null, loading: 'first', error: null, files: [], run });
  const words = freeText(q);
  const data = getStore().data;
  const fileMatches = fileFilter(q, {
    me: data.me,
    userIds: Object.fromEntries(Object.values(data.users).map((u) => [u.username.toLowerCase(), u.id])),
    channelIds: Object.fromEntries(Object.values(data.channels).flatMap((c) => (c.name ? [[c.name, c.id]] : []))),
  });
  // Files are matched by name, so a search by filters alone (or by filters no file has) lists none.
  const [page, files] = await Promise.allSettled([
    fetchPage(q, sort),
    words && fileMatches ? fetchFiles(words) : Promise.resolve({ files: [] }),
  ]);
  if (useSearch.getState().run !== run) return;
  set({
    loading: null,
    results: page.status === 'fulfilled' ? page.value.results : [],
    nextCursor: page.status === 'fulfilled' ? page.value.nextCursor : null,
    error: page.status === 'rejected' ? message(page.reason) : null,
    // Only files that were shared in a message: an unsent upload has nowhere to jump to.
    files: files.status === 'fulfilled' ? files.value.files.filter((f) => f.messageId && fileMatches?.(f)) : [],
  });
}

export async function loadMoreResults(): Promise<void> {
  const s = useSearch.getState();
  if (!s.nextCursor || s.loading) return;
  const run = s.run;
  set({ loading: 'more' });
  try {
    const page = await fetchPage(s.query, s.sort, s.nextCursor);
    if (useSearch.getState().run !== run) return;
    const seen = new Set(useSearch.getState().results.map((r) => r.message.id));
    set({ loading: null, results: [...useSearch.getState().results, ...page.results.filter((r) => !seen.has(r.message.id))], nextCursor: page.nextCursor });
  } catch (err) {
    if (useSearch.getState().run === run) set({ loading: null, error: message(err) });
  }
}

export const closeSearch = () => set({ open: false });
export const reopenSearch = () => set((s) => (s.query ? { open: true } : {}));
