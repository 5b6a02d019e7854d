// Security alerts arriving live (`alert.raised`, sent to admins only): the newest one is shown
// as a banner until dismissed, and an open Alerts tab adds it to its list.
import type { Alert } from '@parley/protocol';
import { create } from 'zustand';
import { onApplied } from './apply';

export const useAlertBanner = create<{ alert: Alert | null }>()(() => ({ alert: null }));
const listeners = new Set<(a: Alert) => void>();

onApplied((events) => {
  for (const e of events) {
    if (e.type !== 'alert.raised') continue;
    useAlertBanner.setState({ alert: e.data.alert });
    listeners.forEach((f) => f(e.data.alert));
  }
});

export function onAlert(f: (a: Alert) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export const dismissAlert = (): void => useAlertBanner.setState({ alert: null });
