// Dates in the settings and admin lists: "5 minutes ago" when recent, else a date and time.
export function formatWhen(iso: string | null): string {
  if (!iso) return 'never';
  const t = new Date(iso).getTime();
  const ago = Date.now() - t;
  if (ago >= 0 && ago < 60_000) return 'just now';
  if (ago >= 0 && ago < 3_600_000) return `${Math.floor(ago / 60_000)} min ago`;
  if (ago >= 0 && ago < 86_400_000) return `${Math.floor(ago / 3_600_000)} h ago`;
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
