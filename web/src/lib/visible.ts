// Whether the person can see this tab: visible and focused. Reading a channel only counts then.
import { useSyncExternalStore } from 'react';

const read = () => document.visibilityState === 'visible' && document.hasFocus();
let visible = read();
const listeners = new Set<() => void>();
const update = () => {
  const next = read();
  if (next === visible) return;
  visible = next;
  listeners.forEach((l) => l());
};
document.addEventListener('visibilitychange', update);
window.addEventListener('focus', update);
window.addEventListener('blur', update);

export function usePageVisible(): boolean {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => visible);
}
