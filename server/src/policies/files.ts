// Who may do what with files and custom emoji. Reading a file is decided by the message that
// shares it (see actions/files.ts accessFile): whoever can read the message can read its files.
import { AppError } from '../errors.js';
import type { Actor } from './channels.js';
import { authorizeAdmin } from './admin.js';

/** An upload not yet shared in a message is its uploader's alone; nobody else learns it exists. */
export function canSeeUpload(actor: Actor, uploaderId: string | null): boolean {
  return actor.id === uploaderId;
}

export function authorizeAddEmoji(actor: Actor, membersCanAddEmoji: boolean): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'member' && membersCanAddEmoji) return;
  throw new AppError(403, 'forbidden', membersCanAddEmoji ? 'Guests cannot add emoji.' : 'Only admins can add custom emoji here.');
}

export function authorizeDeleteEmoji(actor: Actor, uploaderId: string | null): void {
  if (actor.role === 'admin' || actor.id === uploaderId) return;
  throw new AppError(403, 'forbidden', 'Only admins and the person who added an emoji can remove it.');
}

export function authorizeStorageReport(actor: Actor): void {
  authorizeAdmin(actor, 'storageReport');
}
