// Reads a page's Open Graph (and Twitter card, and plain HTML) title, description, image
// and site name from its <head>, with htmlparser2 fed as the bytes arrive, so the fetcher
// can stop reading as soon as the head is over.
import { Parser } from 'htmlparser2';

export interface OpenGraph {
  title: string;
  description: string;
  imageUrl: string | null;
  siteName: string;
}

const LIMITS = { title: 300, description: 1000, siteName: 100 };

const clean = (s: string | undefined, max: number) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

export class OpenGraphReader {
  private meta = new Map<string, string>();
  private titleText = '';
  private inTitle = false;
  /** True once the head is over (</head> or the first <body> tag): nothing more to read. */
  done = false;
  private parser: Parser;

  constructor(private readonly pageUrl: string) {
    this.parser = new Parser({
      onopentag: (name, attrs) => {
        if (name === 'body') this.done = true;
        else if (name === 'title') this.inTitle = true;
        else if (name === 'meta') {
          const key = (attrs.property ?? attrs.name ?? '').toLowerCase();
          if (key && attrs.content !== undefined && !this.meta.has(key)) this.meta.set(key, attrs.content);
        }
      },
      ontext: (text) => {
        if (this.inTitle && this.titleText.length < 2000) this.titleText += text;
      },
      onclosetag: (name) => {
        if (name === 'title') this.inTitle = false;
        if (name === 'head') this.done = true;
      },
    }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  }

  write(chunk: string): void {
    if (!this.done) this.parser.write(chunk);
  }

  /** The preview, or null when the page has neither a title nor a description. */
  result(finalUrl: string): OpenGraph | null {
    this.parser.end();
    const m = (k: string) => this.meta.get(k);
    const title = clean(m('og:title') ?? m('twitter:title') ?? this.titleText, LIMITS.title);
    const description = clean(m('og:description') ?? m('twitter:description') ?? m('description'), LIMITS.description);
    if (!title && !description) return null;
    return {
      title,
      description,
      imageUrl: absoluteHttpUrl(m('og:image') ?? m('og:image:url') ?? m('twitter:image'), finalUrl),
      siteName: clean(m('og:site_name'), LIMITS.siteName) || hostOf(this.pageUrl),
    };
  }
}

function absoluteHttpUrl(raw: string | undefined, base: string): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim(), base);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.href.length <= 2048 ? u.href : null;
  } catch {
    return null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
