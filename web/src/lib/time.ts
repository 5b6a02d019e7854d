// Dates the way a chat shows them: times on messages, day names on separators.
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dayYearFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const shortDayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const formatTime = (iso: string) => timeFmt.format(new Date(iso));
export const formatFull = (iso: string) => fullFmt.format(new Date(iso));

export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function formatDay(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (dayKey(iso) === dayKey(now.toISOString())) return 'Today';
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (dayKey(iso) === dayKey(y.toISOString())) return 'Yesterday';
  return (d.getFullYear() === now.getFullYear() ? dayFmt : dayYearFmt).format(d);
}

/** "10:32 AM" today, "Yesterday", or "Nov 3" for older. */
export function formatShort(iso: string, now = new Date()): string {
  if (dayKey(iso) === dayKey(now.toISOString())) return formatTime(iso);
  const day = formatDay(iso, now);
  return day === 'Yesterday' ? day : shortDayFmt.format(new Date(iso));
}

/** Two messages from one author this close together share one header. */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

/** "today", "yesterday", "on Monday, November 24": for sentences. */
export function dayPhrase(iso: string): string {
  const d = formatDay(iso);
  return d === 'Today' || d === 'Yesterday' ? d.toLowerCase() : `on ${d}`;
}
