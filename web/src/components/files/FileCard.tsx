// A file that is not shown inline: icon, name, size and type, and a download link. PDFs
// also get "Open" (a new tab), since the download CSP keeps them out of frames in the page.
import type { FileInfo } from '@parley/protocol';
import { formatBytes } from '../../lib/bytes';
import { Icon } from '../Icon';

const KNOWN: Record<string, string> = {
  'application/pdf': 'PDF', 'application/zip': 'ZIP archive', 'application/gzip': 'GZip archive',
  'text/plain': 'Text', 'text/csv': 'CSV', 'application/json': 'JSON', 'image/svg+xml': 'SVG image',
  'application/octet-stream': 'File',
};

/** "PDF", "ZIP archive", "DOCX": the kind of file, as a person would name it. */
export function fileKind(f: Pick<FileInfo, 'name' | 'mimeType'>): string {
  const known = KNOWN[f.mimeType];
  const ext = /\.([a-z0-9]{1,8})$/i.exec(f.name)?.[1]?.toUpperCase();
  if (known && !(f.mimeType === 'application/octet-stream' && ext)) return known;
  if (ext) return ext;
  const [top, sub] = f.mimeType.split('/');
  return sub ? `${sub.toUpperCase()} ${top === 'image' || top === 'audio' || top === 'video' ? top : 'file'}` : 'File';
}

export const downloadUrl = (f: FileInfo) => `${f.url}${f.url.includes('?') ? '&' : '?'}download=true`;

export function FileCard({ file }: { file: FileInfo }) {
  const pdf = file.mimeType === 'application/pdf';
  const kind = fileKind(file);
  return (
    <div className="file-card" data-file-id={file.id} aria-label={`${file.name}, ${formatBytes(file.size)} ${kind}`} role="group">
      <span className={`file-card__icon${pdf ? ' file-card__icon--pdf' : ''}`} aria-hidden="true">
        <Icon name="file" size={22} />
        <span className="file-card__ext">{kind.split(' ')[0]!.slice(0, 4)}</span>
      </span>
      <span className="file-card__text">
        <a className="file-card__name" href={file.url} target="_blank" rel="noopener" title={file.name}>{file.name}</a>
        <span className="file-card__meta">{formatBytes(file.size)} · {kind}</span>
      </span>
      {pdf && (
        <a className="icon-btn" href={file.url} target="_blank" rel="noopener" aria-label={`Open ${file.name}`} title="Open in a new tab">
          <Icon name="external" />
        </a>
      )}
      <a className="icon-btn" href={downloadUrl(file)} download={file.name} aria-label={`Download ${file.name}`} title="Download">
        <Icon name="download" />
      </a>
    </div>
  );
}
