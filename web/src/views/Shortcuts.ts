// Keyboard shortcuts for the whole workspace: Ctrl/Cmd+K, Ctrl/Cmd+G, Alt+Up/Down, typing to focus.
import { useEffect } from 'react';
import { channelPath, getRoute, navigate } from '../lib/router';
import { load } from '../lib/storage';
import { sidebarOrder } from '../store/selectors';
import { getStore } from '../store/store';
import { openDialog, useUi } from '../store/ui';
import { focusSearch } from './search/SearchBox';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openDialog({ kind: 'switcher' });
        return;
      }
      // Ctrl/Cmd+G: search messages (as in Slack; the browser's "find next" gives way).
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault();
        const s = getStore();
        const order = sidebarOrder(s.data, load('sidebarCollapsed', {}));
        const route = getRoute();
        const current = route.name === 'channel' ? order.findIndex((c) => c.id === route.channelId) : -1;
        const step = e.key === 'ArrowUp' ? -1 : 1;
        let i = current < 0 ? (step > 0 ? 0 : order.length - 1) : current + step;
        if (e.shiftKey) {
          // Alt+Shift: the next unread channel in that direction.
          while (i >= 0 && i < order.length && order[i]!.unreadCount === 0) i += step;
        }
        const next = order[i];
        if (next) navigate(channelPath(next.id));
        return;
      }
      // Typing anywhere that is not a field goes to the composer.
      const el = document.activeElement as HTMLElement | null;
      const inField = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
      if (!inField && !useUi.getState().dialog && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey
        && !(el && el.closest('.msg'))) {
        const composer = document.querySelector<HTMLTextAreaElement>('.channel .composer__input');
        composer?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
