// Search results on the wire: the message, its channel and a plain-text snippet with the
// ranges to highlight (the client marks them up itself; no HTML leaves the server).
import type { Channel, Message, SearchResult, SearchSnippet } from '@parley/protocol';
import { LT_STANDIN, MARK_START, MARK_STOP } from '../store/search.js';

const PLAIN_SNIPPET = 200;

/**
 * Turns ts_headline output (matches wrapped in MARK_START/MARK_STOP, which were removed from
 * the text beforehand, and '<' read as LT_STANDIN) into text plus [start, end) ranges. Without a headline (a search by
 * filters only) the snippet is the message's beginning.
 */
export function presentSnippet(headline: string | null, text: string): SearchSnippet {
  if (headline === null) {
    if (text.length <= PLAIN_SNIPPET) return { text, highlights: [] };
    const cut = text.lastIndexOf(' ', PLAIN_SNIPPET);
    return { text: text.slice(0, cut > PLAIN_SNIPPET / 2 ? cut : PLAIN_SNIPPET) + '…', highlights: [] };
  }
  let out = '';
  const highlights: SearchSnippet['highlights'] = [];
  let open = -1;
  for (const ch of headline) {
    if (ch === MARK_START) open = out.length;
    else if (ch === MARK_STOP) {
      if (open >= 0 && out.length > open) highlights.push({ start: open, end: out.length });
      open = -1;
    } else out += ch === LT_STANDIN ? '<' : ch;
  }
  return { text: out, highlights };
}

export function presentResult(message: Message, channel: Channel, headline: string | null): SearchResult {
  return { message, channel, snippet: presentSnippet(headline, message.text) };
}
