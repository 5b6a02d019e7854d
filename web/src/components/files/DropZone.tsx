// Drag files onto a channel or thread to attach them to its composer. A counter follows
// dragenter/dragleave pairs, since moving over child elements fires both on the way.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { addFiles, uploadKey } from '../../store/uploads';
import { Icon } from '../Icon';

const carriesFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

/** Handlers for the element that takes the drop; `channelId` null when nobody may post there. */
export function useFileDrop(channelId: string | null, threadRootId: string | null) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  useEffect(() => {
    // Files dropped just beside a drop zone would otherwise replace Parley with the file.
    const guard = (e: globalThis.DragEvent) => {
      if (!e.dataTransfer || e.defaultPrevented || ![...e.dataTransfer.types].includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);
  if (!channelId) return { over: false, handlers: {} };
  const handlers = {
    onDragEnter: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setOver(true);
    },
    onDragOver: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // allows the drop
      e.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // or the browser opens the file in place of Parley
      e.stopPropagation();
      depth.current = 0;
      setOver(false);
      const files = [...e.dataTransfer.files];
      if (files.length) addFiles(uploadKey(channelId, threadRootId), files);
    },
  };
  return { over, handlers };
}

export function DropOverlay({ label }: { label: string }) {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__card">
        <Icon name="upload" size={36} />
        <strong>Upload to {label}</strong>
        <span>Drop files to attach them to your message</span>
      </div>
    </div>
  );
}
