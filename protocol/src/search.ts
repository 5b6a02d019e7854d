// Message search on the wire: GET /api/v1/search?q=...&cursor=...&limit=&sort=.
import Type from 'typebox';
import { Channel, Message } from './schemas.js';

/** A matched word in `snippet.text`: UTF-16 offsets [start, end), as JavaScript strings index. */
export const SearchHighlight = Type.Object({ start: Type.Integer(), end: Type.Integer() });
export type SearchHighlight = Type.Static<typeof SearchHighlight>;

/**
 * Plain text around the matches (never HTML: render it as text and mark the ranges), or the
 * message's first words when the search had no words, only filters.
 */
export const SearchSnippet = Type.Object({ text: Type.String(), highlights: Type.Array(SearchHighlight) });
export type SearchSnippet = Type.Static<typeof SearchSnippet>;

export const SearchResult = Type.Object({ message: Message, channel: Channel, snippet: SearchSnippet });
export type SearchResult = Type.Static<typeof SearchResult>;

export const SearchSort = Type.Union([Type.Literal('relevance'), Type.Literal('recent')]);
export type SearchSort = Type.Static<typeof SearchSort>;

export const SearchPage = Type.Object({
  results: Type.Array(SearchResult),
  /** Pass as `cursor` (with the same q and sort) for the next page; null on the last page. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type SearchPage = Type.Static<typeof SearchPage>;

/** The filters the search box understands, for clients that suggest them. */
export const SEARCH_FILTERS = ['from:@', 'in:#', 'in:@', 'before:', 'after:', 'on:', 'has:link', 'has:file', 'is:thread'] as const;
