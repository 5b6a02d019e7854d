// Light, dark, or whatever the system says (the default). The choice is an attribute on
// <html>; the colours are CSS variables.
import { useSyncExternalStore } from 'react';
import { load, save } from './storage';

export type ThemeChoice = 'system' | 'light' | 'dark';

const listeners = new Set<() => void>();
let choice: ThemeChoice = load<ThemeChoice>('theme', 'system');
const media = window.matchMedia('(prefers-color-scheme: dark)');

function applyTheme(): void {
  const dark = choice === 'dark' || (choice === 'system' && media.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? '#1a1d21' : '#3f0e40');
  listeners.forEach((l) => l());
}

media.addEventListener('change', applyTheme);
applyTheme();

export function setTheme(next: ThemeChoice): void {
  choice = next;
  save('theme', next === 'system' ? null : next);
  applyTheme();
}

export function isDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

export function useTheme(): { choice: ThemeChoice; dark: boolean } {
  const dark = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, isDark);
  return { choice, dark };
}
