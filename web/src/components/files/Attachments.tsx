// A message's files: images inline at their own proportions (the blurred placeholder until
// the scaled copy loads, so nothing jumps), native players for audio and video, and cards
// for everything else. Clicking an image opens the full-size viewer
// (a dialog of its own, so it stays open when the list scrolls the message away).
import type { FileInfo } from '@parley/protocol';
import { useState } from 'react';
import { openDialog } from '../../store/ui';
import { FileCard } from './FileCard';

/** Inline images fit this box (CSS pixels); the thumbnail is made for it. */
const BOX = 360;
const THUMBNAIL = 360;
const PREVIEW = 1600;

const PLAYABLE_VIDEO = new Set(['video/mp4', 'video/webm', 'video/ogg']);
const isImage = (f: FileInfo) => !!(f.previewUrl && f.width && f.height);
const isVideo = (f: FileInfo) => PLAYABLE_VIDEO.has(f.mimeType);
const isAudio = (f: FileInfo) => f.mimeType.startsWith('audio/');

/** The size of `w`×`h` scaled to fit a `box`-pixel square, never enlarged. */
function fit(w: number, h: number, box: number): { width: number; height: number } {
  const scale = Math.min(1, box / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

export function Attachments({ files }: { files: FileInfo[] }) {
  if (files.length === 0) return null;
  const images = files.filter(isImage);
  return (
    <div className="attachments">
      {images.length > 0 && (
        <div className="attachments__images">
          {images.map((f, i) => <InlineImage key={f.id} file={f} onOpen={() => openDialog({ kind: 'images', images, index: i })} />)}
        </div>
      )}
      {files.filter((f) => !isImage(f)).map((f) => (
        isVideo(f) ? (
          <figure key={f.id} className="attachment-media" data-file-id={f.id}>
            <video controls preload="metadata" src={f.url} aria-label={f.name} />
            <figcaption><FileCard file={f} /></figcaption>
          </figure>
        ) : isAudio(f) ? (
          <figure key={f.id} className="attachment-media attachment-media--audio" data-file-id={f.id}>
            <FileCard file={f} />
            <audio controls preload="metadata" src={f.url} aria-label={f.name} />
          </figure>
        ) : <FileCard key={f.id} file={f} />
      ))}
    </div>
  );
}

function InlineImage({ file, onOpen }: { file: FileInfo; onOpen: () => void }) {
  const [loaded, setLoaded] = useState(false);
  const size = fit(file.width!, file.height!, BOX);
  // Both scaled copies, so a high-density screen takes the larger one.
  const thumb = fit(file.width!, file.height!, THUMBNAIL);
  const preview = fit(file.width!, file.height!, PREVIEW);
  const srcSet = file.thumbnailUrl && thumb.width < preview.width
    ? `${file.thumbnailUrl} ${thumb.width}w, ${file.previewUrl} ${preview.width}w` : undefined;
  // Width and aspect ratio rather than a height: a narrow column (thread, phone) scales the
  // box down, and its height is still known before the image arrives.
  return (
    <button type="button" className={`inline-image${loaded ? ' inline-image--loaded' : ''}`} data-file-id={file.id}
      style={{ width: size.width, aspectRatio: `${size.width} / ${size.height}` }} aria-label={`Open ${file.name}`} title={file.name} onClick={onOpen}>
      {file.placeholder && !loaded && <img className="inline-image__placeholder" src={file.placeholder} alt="" aria-hidden="true" />}
      <img className="inline-image__img" src={file.previewUrl!} srcSet={srcSet} sizes={`${size.width}px`} alt={file.name}
        width={size.width} height={size.height} loading="lazy" decoding="async" onLoad={() => setLoaded(true)} />
    </button>
  );
}
