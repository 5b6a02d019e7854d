// The full-size view of a message's images: Esc closes (Modal), ← and → step between the
// images, and the original can be downloaded.
import type { FileInfo } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { formatBytes } from '../../lib/bytes';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import { downloadUrl } from './FileCard';

export function ImageViewer({ images, start, onClose }: { images: FileInfo[]; start: number; onClose: () => void }) {
  const [index, setIndex] = useState(start);
  const count = images.length;
  const image = images[Math.min(index, count - 1)];
  const step = (d: number) => setIndex((i) => (i + d + count) % count);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (count < 2 || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight') step(1);
      else if (e.key === 'ArrowLeft') step(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!image) return null;
  return (
    <Modal title={image.name} onClose={onClose} className="image-viewer">
      <div className="image-viewer__stage">
        {count > 1 && (
          <button type="button" className="image-viewer__nav image-viewer__nav--prev" aria-label="Previous image" onClick={() => step(-1)}>
            <Icon name="left" size={28} />
          </button>
        )}
        <img key={image.id} className="image-viewer__img" src={image.url} alt={image.name}
          width={image.width ?? undefined} height={image.height ?? undefined} />
        {count > 1 && (
          <button type="button" className="image-viewer__nav image-viewer__nav--next" aria-label="Next image" onClick={() => step(1)}>
            <Icon name="chevron" size={28} />
          </button>
        )}
      </div>
      <footer className="image-viewer__bar">
        <span className="muted">
          {count > 1 && <span className="image-viewer__count">{index + 1} of {count} · </span>}
          {image.width}×{image.height} · {formatBytes(image.size)}
        </span>
        <a className="btn btn--small" href={downloadUrl(image)} download={image.name}><Icon name="download" size={16} /> Download</a>
      </footer>
    </Modal>
  );
}
