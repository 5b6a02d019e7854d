// A tiny History-API router: the URL is the source of truth for what is on screen, so
// reloads, permalinks and the back button all work. Routes:
//   /c/<channelId>[?message=<id>][&thread=<rootId>]   a channel (a permalink highlights `message`)
//   /threads[?thread=<rootId>]                          followed threads
//   /settings[/<section>], /admin[/<tab>]               my account settings; the admin area
//   /forgot-password, /reset-password?token=<t>         password reset (also /reset-password/<t>)
//   /login, /signup[?invite=<token>], /                 the rest
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'channel'; channelId: string; messageId: string | null; threadId: string | null }
  | { name: 'threads'; threadId: string | null }
  | { name: 'login' }
  | { name: 'settings'; section: string | null }
  | { name: 'admin'; tab: string | null }
  | { name: 'forgotPassword' }
  | { name: 'resetPassword'; token: string | null }
  | { name: 'signup'; invite: string | null }
  | { name: 'home' };

export function parseRoute(pathname: string, search: string): Route {
  const q = new URLSearchParams(search);
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'c' && parts[1]) {
    return { name: 'channel', channelId: parts[1], messageId: q.get('message'), threadId: q.get('thread') };
  }
  if (parts[0] === 'threads') return { name: 'threads', threadId: q.get('thread') };
  if (parts[0] === 'login') return { name: 'login' };
  if (parts[0] === 'settings') return { name: 'settings', section: parts[1] ?? null };
  if (parts[0] === 'admin') return { name: 'admin', tab: parts[1] ?? null };
  if (parts[0] === 'forgot-password') return { name: 'forgotPassword' };
  if (parts[0] === 'reset-password') return { name: 'resetPassword', token: parts[1] ? decodeURIComponent(parts[1]) : q.get('token') };
  if (parts[0] === 'signup') return { name: 'signup', invite: q.get('invite') };
  return { name: 'home' };
}

export function channelPath(channelId: string, opts: { message?: string | null; thread?: string | null } = {}): string {
  const q = new URLSearchParams();
  if (opts.thread) q.set('thread', opts.thread);
  if (opts.message) q.set('message', opts.message);
  const s = q.toString();
  return `/c/${channelId}${s ? `?${s}` : ''}`;
}

export function permalink(m: { id: string; channelId: string; threadRootId: string | null }): string {
  return location.origin + channelPath(m.channelId, { message: m.id, thread: m.threadRootId });
}

const listeners = new Set<() => void>();
let current = location.pathname + location.search;
let parsed = parseRoute(location.pathname, location.search);

function update(): void {
  const next = location.pathname + location.search;
  if (next === current) return;
  current = next;
  parsed = parseRoute(location.pathname, location.search);
  listeners.forEach((l) => l());
}

window.addEventListener('popstate', update);

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === current) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  update();
}

export function getRoute(): Route {
  return parsed;
}

export function useRoute(): Route {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => parsed);
}

/** A link that navigates in-app (a real <a>, so middle-click and copy-link still work). */
export function onLinkClick(e: React.MouseEvent<HTMLAnchorElement>, to: string, after?: () => void): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
  after?.();
}
