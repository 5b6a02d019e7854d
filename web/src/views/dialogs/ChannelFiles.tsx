// The "Files" tab of channel details: the channel's files, newest first, with who shared
// them and when, paged 50 at a time.
import type { FileInfo } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { filesApi } from '../../api/files';
import { ApiError } from '../../api/http';
import { downloadUrl, fileKind } from '../../components/files/FileCard';
import { Icon } from '../../components/Icon';
import { formatBytes } from '../../lib/bytes';
import { formatShort } from '../../lib/time';
import { userName } from '../../store/selectors';
import { ensureUser } from '../../store/sync';
import { useStore } from '../../store/store';

export function ChannelFiles({ channelId }: { channelId: string }) {
  const users = useStore((s) => s.data.users);
  const [files, setFiles] = useState<FileInfo[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (before?: string) => {
    try {
      const page = await filesApi.channelFiles(channelId, before);
      page.files.forEach((f) => ensureUser(f.userId));
      setFiles((old) => (before ? [...(old ?? []), ...page.files] : page.files));
      setHasMore(page.hasMore);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not load the files.');
    }
  };
  useEffect(() => void load(), [channelId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (error) return <p className="form-error" role="alert">{error}</p>;
  if (files === null) return <p className="muted" role="status">Loading…</p>;
  if (files.length === 0) return <p className="muted">No files have been shared here yet. Drag one into the channel, or use the paperclip.</p>;
  return (
    <>
      <ul className="file-list" aria-label="Files">
        {files.map((f) => (
          <li key={f.id} className="file-list__item" data-file-id={f.id}>
            {f.thumbnailUrl ? <img className="file-list__thumb" src={f.thumbnailUrl} alt="" loading="lazy" />
              : <span className="file-card__icon" aria-hidden="true"><Icon name="file" size={22} /></span>}
            <span className="file-list__text">
              <a className="file-list__name" href={f.url} target="_blank" rel="noopener" title={f.name}>{f.name}</a>
              <span className="file-list__meta">
                {formatBytes(f.size)} · {fileKind(f)} · {userName(users[f.userId])} · {formatShort(f.createdAt)}
              </span>
            </span>
            <a className="icon-btn" href={downloadUrl(f)} download={f.name} aria-label={`Download ${f.name}`} title="Download">
              <Icon name="download" />
            </a>
          </li>
        ))}
      </ul>
      {hasMore && (
        <div className="modal__footer">
          <button type="button" className="btn" onClick={() => void load(files[files.length - 1]!.id)}>Show older files</button>
        </div>
      )}
    </>
  );
}
