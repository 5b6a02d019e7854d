// Rows become wire objects only here. Email is shown to its owner and to admins only.
import type { User } from '@parley/protocol';
import type { UserRow } from '../store/schema.js';

export function presentUser(row: UserRow, viewer: { id: string; role: string } | null): User {
  const seesEmail = viewer !== null && (viewer.id === row.id || viewer.role === 'admin');
  return {
    id: row.id,
    username: row.username,
    email: seesEmail ? row.email : null,
    displayName: row.display_name,
    role: row.role,
    deactivated: row.deactivated,
    statusText: row.status_text,
    statusEmoji: row.status_emoji,
    createdAt: row.created_at.toISOString(),
    // Present only on imported accounts, so the ordinary shape stays as it was.
    ...(row.is_bot && { isBot: true }),
    ...(row.avatar_url && { avatarUrl: row.avatar_url }),
  };
}
