import type { CustomEmoji, FileInfo } from '@parley/protocol';
import type { CustomEmojiRow, FileRow } from '../store/schema.js';

export function presentFile(row: FileRow): FileInfo {
  const base = `/api/v1/files/${row.id}`;
  return {
    id: row.id,
    name: row.name,
    mimeType: row.mime_type,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    placeholder: row.placeholder,
    userId: row.user_id,
    messageId: row.message_id,
    channelId: row.channel_id,
    createdAt: row.created_at.toISOString(),
    url: `${base}/content`,
    thumbnailUrl: row.has_previews ? `${base}/thumbnail` : null,
    previewUrl: row.has_previews ? `${base}/preview` : null,
  };
}

export function presentEmoji(row: CustomEmojiRow): CustomEmoji {
  return {
    name: row.name,
    // The id changes when a name is reused, so clients may cache the image by URL.
    url: `/api/v1/emoji/${row.name}/image?v=${row.id}`,
    userId: row.user_id,
    createdAt: row.created_at.toISOString(),
  };
}
