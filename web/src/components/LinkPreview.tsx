// Open Graph previews under a message: site, title (the link), description and image. They
// arrive after the message, with message.updated; its author can remove one with ✕.
import type { LinkPreview, Message } from '@parley/protocol';
import { useState } from 'react';
import { filesApi } from '../api/files';
import { ApiError } from '../api/http';
import { toast, useStore } from '../store/store';
import { Icon } from './Icon';

export function LinkPreviews({ message: m }: { message: Message }) {
  const mine = useStore((s) => s.data.me === m.userId);
  if (m.deleted || m.previews.length === 0) return null;
  const remove = async (url: string) => {
    try {
      await filesApi.removePreview(m.id, url); // message.updated takes it off every screen
    } catch (err) {
      toast(err instanceof ApiError ? err.message : 'Could not remove the preview.');
    }
  };
  return (
    <div className="link-previews">
      {m.previews.map((p) => <PreviewCard key={p.url} p={p} onRemove={mine ? () => void remove(p.url) : undefined} />)}
    </div>
  );
}

function PreviewCard({ p, onRemove }: { p: LinkPreview; onRemove?: () => void }) {
  // The image is Parley's stored copy (same origin, so the linked site never sees readers);
  // it may still fail to load, e.g. when the preview was just removed.
  const [imageFailed, setImageFailed] = useState(false);
  const site = p.siteName || hostOf(p.url);
  return (
    <div className="link-preview" data-url={p.url} role="group" aria-label={`Link preview: ${p.title || site}`}>
      <div className="link-preview__text">
        {site && <div className="link-preview__site">{site}</div>}
        <a className="link-preview__title" href={p.url} target="_blank" rel="noopener noreferrer">{p.title || p.url}</a>
        {p.description && <p className="link-preview__description">{p.description}</p>}
      </div>
      {p.imageUrl && !imageFailed && (
        <a className="link-preview__image" href={p.url} target="_blank" rel="noopener noreferrer" tabIndex={-1} aria-hidden="true">
          <img src={p.imageUrl} alt="" width={p.imageWidth ?? undefined} height={p.imageHeight ?? undefined}
            loading="lazy" onError={() => setImageFailed(true)} />
        </a>
      )}
      {onRemove && (
        <button type="button" className="link-preview__remove icon-btn" aria-label={`Remove preview of ${p.title || p.url}`} title="Remove preview" onClick={onRemove}>
          <Icon name="close" size={14} />
        </button>
      )}
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
