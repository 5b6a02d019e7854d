// The links in a message's text that get previews: absolute http(s) URLs, as a reader would
// see them (trailing punctuation and an unbalanced closing bracket are not part of the link).
export interface MessageLink {
  url: string;
  position: number;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = '.,;:!?*_~\'"]}>';
const count = (s: string, ch: string) => s.split(ch).length - 1;

function trim(candidate: string): string {
  let s = candidate;
  for (;;) {
    const last = s.at(-1);
    if (last !== undefined && TRAILING.includes(last)) s = s.slice(0, -1);
    // A closing parenthesis belongs to the link only when the link opened one (Wikipedia-style URLs).
    else if (last === ')' && count(s, ')') > count(s, '(')) s = s.slice(0, -1);
    else return s;
  }
}

/** Distinct links in order of first appearance, at most `max`. */
export function extractLinks(text: string, max: number): MessageLink[] {
  const out: MessageLink[] = [];
  for (const m of text.matchAll(URL_RE)) {
    if (out.length >= max) break;
    const raw = trim(m[0]);
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      continue;
    }
    if (!parsed.hostname || raw.length > 2048) continue;
    if (!out.some((l) => l.url === raw)) out.push({ url: raw, position: out.length });
  }
  return out;
}
