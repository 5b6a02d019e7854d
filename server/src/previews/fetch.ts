// The link-preview fetcher: GET a page from the public internet and read its Open Graph
// tags, without letting a message's author aim the server at anything else.
//
// Each hop (the link, then every redirect, at most `maxRedirects`) resolves the host name
// once, refuses the request if any address is loopback, private, link-local or otherwise
// not public (addresses.ts), and then connects to exactly the address it checked, so a DNS
// answer that changes between the check and the connection (rebinding) cannot redirect it.
// One deadline covers the whole fetch; at most `maxBytes` are read, and reading stops as
// soon as the page's <head> is over. No cookies are sent or kept, no credentials, no
// compression (so the byte cap is the real size). The page's image comes through the same
// checks (fetchImage), read whole up to its own cap.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LinkPreviewConfig } from '../config.js';
import { refuseAddress } from './addresses.js';
import { OpenGraphReader, type OpenGraph } from './opengraph.js';

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export type FetchOptions = Pick<LinkPreviewConfig, 'allowLoopback' | 'timeoutMs' | 'maxBytes' | 'maxRedirects'> & {
  /** DNS lookup; the system resolver unless a test supplies its own answers. */
  resolve?: Resolver;
};

/** The fetch was refused or failed; `reason` says why (for logs and tests, not for users). */
export class PreviewRefused extends Error {
  constructor(readonly reason: string) {
    super(`link preview refused: ${reason}`);
  }
}

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

const USER_AGENT = 'Mozilla/5.0 (compatible; ParleyLinkPreview/1.0)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const ACCEPT_PAGE = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
const ACCEPT_IMAGE = 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9';

/** Settles with the promise, or rejects when the deadline passes first (a DNS lookup cannot be cancelled). */
function beforeDeadline<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('deadline'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The address to connect to for this URL, after checking every address the name has. */
async function checkedAddress(url: URL, o: FetchOptions, signal: AbortSignal): Promise<{ address: string; family: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PreviewRefused(`scheme ${url.protocol}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = net.isIP(host);
  let addresses: Array<{ address: string; family: number }>;
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await beforeDeadline((o.resolve ?? systemResolver)(host), signal);
    } catch {
      if (signal.aborted) throw new PreviewRefused(`no answer within ${o.timeoutMs} ms`);
      throw new PreviewRefused(`cannot resolve ${host}`);
    }
  }
  if (addresses.length === 0) throw new PreviewRefused(`no address for ${host}`);
  for (const a of addresses) {
    const why = refuseAddress(a.address, o);
    if (why) throw new PreviewRefused(`${host} is ${a.address}: ${why}`);
  }
  return addresses[0]!;
}

/** One GET to a checked address; resolves with the response head. */
function get(url: URL, to: { address: string; family: number }, accept: string, signal: AbortSignal): Promise<http.IncomingMessage> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      protocol: url.protocol,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      agent: false,
      signal,
      // Connect to the address that was checked, whatever the name resolves to now.
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
        if (opts?.all) cb(null, [{ address: to.address, family: to.family }]);
        else cb(null, to.address, to.family);
      }) as unknown as typeof dns.lookup,
      headers: {
        'user-agent': USER_AGENT,
        accept,
        'accept-encoding': 'identity',
        'accept-language': 'en',
      },
    }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Reads the page's head through the Open Graph reader, up to maxBytes. */
async function readHead(res: http.IncomingMessage, pageUrl: string, o: FetchOptions): Promise<OpenGraph | null> {
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  if (!/^(text\/html|application\/xhtml\+xml)\b/.test(type)) {
    res.destroy();
    return null;
  }
  const charset = /charset="?([\w-]+)/.exec(type)?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const reader = new OpenGraphReader(pageUrl);
  let bytes = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > o.maxBytes) {
      res.destroy();
      throw new PreviewRefused(`more than ${o.maxBytes} bytes before the end of <head>`);
    }
    reader.write(decoder.decode(chunk, { stream: true }));
    if (reader.done) {
      res.destroy();
      break;
    }
  }
  return reader.result(pageUrl);
}

/**
 * GETs `link` through the checks (every hop, one deadline) and hands the 2xx response to
 * `read`; throws PreviewRefused for anything refused or failed.
 */
async function fetchChecked<T>(link: string, o: FetchOptions, accept: string,
  read: (res: http.IncomingMessage, url: URL) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutMs);
  try {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new PreviewRefused('not a URL');
    }
    for (let hop = 0; ; hop++) {
      const to = await checkedAddress(url, o, controller.signal);
      const res = await get(url, to, accept, controller.signal);
      if (REDIRECTS.has(res.statusCode ?? 0) && res.headers.location) {
        res.destroy();
        if (hop >= o.maxRedirects) throw new PreviewRefused(`more than ${o.maxRedirects} redirects`);
        try {
          url = new URL(res.headers.location, url);
        } catch {
          throw new PreviewRefused('redirect to something that is not a URL');
        }
        continue;
      }
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
        res.destroy();
        throw new PreviewRefused(`status ${res.statusCode}`);
      }
      return await read(res, url);
    }
  } catch (err) {
    if (err instanceof PreviewRefused) throw err;
    if (controller.signal.aborted) throw new PreviewRefused(`no answer within ${o.timeoutMs} ms`);
    throw new PreviewRefused(`fetch failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Fetches `link` and returns its preview, null when the page has nothing to show, or throws PreviewRefused. */
export function fetchPreview(link: string, o: FetchOptions): Promise<OpenGraph | null> {
  return fetchChecked(link, o, ACCEPT_PAGE, (res, url) => readHead(res, url.href, o));
}

/**
 * Fetches an image's bytes whole, at most `maxBytes` (checked as they arrive, so a bigger
 * one is dropped without reading it all). What the bytes are is for the caller to sniff: the
 * site's Content-Type is not trusted.
 */
export function fetchImage(link: string, o: FetchOptions): Promise<Buffer> {
  return fetchChecked(link, o, ACCEPT_IMAGE, async (res) => {
    const declared = Number(res.headers['content-length']);
    if (declared > o.maxBytes) {
      res.destroy();
      throw new PreviewRefused(`image of ${declared} bytes, more than ${o.maxBytes}`);
    }
    const parts: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > o.maxBytes) {
        res.destroy();
        throw new PreviewRefused(`image of more than ${o.maxBytes} bytes`);
      }
      parts.push(chunk);
    }
    return Buffer.concat(parts);
  });
}
