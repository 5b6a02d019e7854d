// The files waiting in a composer: thumbnail or icon, name, a progress bar while uploading,
// the reason when one failed, and ✕ to take it out before sending.
import { formatBytes } from '../../lib/bytes';
import { removeUpload, useUploads, type Upload } from '../../store/uploads';
import { Icon } from '../Icon';

const NONE: Upload[] = [];

export function UploadTray({ uploadKey }: { uploadKey: string }) {
  const uploads = useUploads((s) => s.byKey[uploadKey] ?? NONE);
  if (uploads.length === 0) return null;
  return (
    <ul className="upload-tray" aria-label="Files to send">
      {uploads.map((u) => <UploadChip key={u.localId} u={u} onRemove={() => removeUpload(uploadKey, u.localId)} />)}
    </ul>
  );
}

function UploadChip({ u, onRemove }: { u: Upload; onRemove: () => void }) {
  const percent = u.size > 0 ? Math.min(100, Math.round((u.loaded / u.size) * 100)) : 0;
  return (
    <li className={`upload-chip upload-chip--${u.state}`} data-state={u.state} aria-label={u.name}>
      {u.thumb ? <img className="upload-chip__thumb" src={u.thumb} alt="" /> : <span className="upload-chip__icon"><Icon name="file" size={20} /></span>}
      <span className="upload-chip__text">
        <span className="upload-chip__name" title={u.name}>{u.name}</span>
        {u.state === 'failed' ? (
          <span className="upload-chip__error" role="alert">{u.error}</span>
        ) : u.state === 'uploading' ? (
          <progress className="upload-chip__progress" max={100} value={percent} aria-label={`Uploading ${u.name}`}>{percent}%</progress>
        ) : (
          <span className="upload-chip__meta">{formatBytes(u.size)}</span>
        )}
      </span>
      <button type="button" className="upload-chip__remove" aria-label={`Remove ${u.name}`} title="Remove" onClick={onRemove}>
        <Icon name="close" size={14} />
      </button>
    </li>
  );
}
