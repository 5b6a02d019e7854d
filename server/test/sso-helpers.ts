// Helpers for the single sign-on tests: a browser-like HTTP client (cookie jar, manual
// redirects), free ports, and reading a session out of a redirect's cookies.
import { createServer } from 'node:net';
import { SESSION_COOKIE } from '../src/auth/cookies.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface BrowserReply {
  status: number;
  location: string | null;
  text: string;
  url: string;
}

/** Cookies per origin (stricter than a browser, which shares them across ports), redirects by hand. */
export class Browser {
  private jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).host)?.get(name);
  }

  setCookie(origin: string, name: string, value: string | null): void {
    const host = new URL(origin).host;
    const m = this.jar.get(host) ?? new Map<string, string>();
    if (value === null) m.delete(name); else m.set(name, value);
    this.jar.set(host, m);
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<BrowserReply> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = { ...(cookies && { cookie: cookies }), ...init.headers };
    let body: string | undefined;
    if (init.form) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a)) || value === '';
      this.setCookie(url, name, expired ? null : value);
    }
    const loc = res.headers.get('location');
    return { status: res.status, location: loc ? new URL(loc, url).href : null, text: await res.text(), url };
  }

  /** Follows redirects until one leads to `stopAt` (not fetched) or a page answers. */
  async follow(url: string, stopAt: string, init: Parameters<Browser['request']>[1] = {}): Promise<BrowserReply> {
    let r = await this.request(url, init);
    for (let i = 0; i < 20 && r.location && !r.location.startsWith(stopAt); i++) r = await this.request(r.location);
    return r;
  }

  session(origin: string): string | undefined {
    return this.cookie(origin, SESSION_COOKIE);
  }
}

/** The first form on a page: its action (absolute) and hidden inputs. */
export function parseForm(html: string, base: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) fields[name] = value.replace(/&#x2B;/g, '+').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { action: new URL(form[1]!.replace(/&amp;/g, '&'), base).href, fields };
}
