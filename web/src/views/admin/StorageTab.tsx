// Admin → Storage: how much the workspace's uploads take, in all and per person, largest
// first, so an admin can see who fills the disk (issue #4: "a user's storage use visible to
// admins"). Deleted files are not counted; the server sums what is still stored.
import { filesApi } from '../../api/files';
import { Avatar } from '../../components/Avatar';
import { formatBytes } from '../../lib/bytes';
import { useLoad } from '../../lib/useLoad';
import { useStore } from '../../store/store';

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function StorageTab() {
  const users = useStore((s) => s.data.users);
  const { data, error, reload } = useLoad(() => filesApi.storageUse());
  // The server orders by size already; sorting here keeps the promise whatever it sends.
  const rows = data ? [...data.users].sort((a, b) => b.bytes - a.bytes || a.username.localeCompare(b.username)) : [];
  const largest = rows[0]?.bytes ?? 0;

  return (
    <section className="admin__panel" aria-labelledby="admin-storage-title">
      <h2 id="admin-storage-title">Storage</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="admin__toolbar storage__head">
        {data && (
          <p className="storage__total" aria-label="Total storage">
            <strong title={`${data.totalBytes.toLocaleString()} bytes`}>{formatBytes(data.totalBytes)}</strong>
            <span className="muted"> in {count(data.totalFiles, 'file', 'files')} from {count(rows.length, 'person', 'people')}</span>
          </p>
        )}
        <button type="button" className="btn" onClick={() => reload()}>Refresh</button>
      </div>
      {data && rows.length === 0 && <p className="muted">No one has uploaded a file yet.</p>}
      {rows.length > 0 && (
        <table className="admin__table" aria-label="Storage per person">
          <thead><tr><th>Person</th><th>Files</th><th>Size</th><th><span className="sr-only">Share of the largest</span></th></tr></thead>
          <tbody>
            {rows.map((r) => {
              const user = users[r.userId];
              return (
                <tr key={r.userId} data-username={r.username}>
                  <td>
                    <span className="admin__person">
                      <Avatar user={user} size={24} />
                      <span>{user && <strong>{user.displayName} </strong>}<span className="muted">@{r.username}</span></span>
                    </span>
                  </td>
                  <td className="storage__files">{r.files.toLocaleString()}</td>
                  <td className="storage__size" title={`${r.bytes.toLocaleString()} bytes`}>{formatBytes(r.bytes)}</td>
                  <td className="storage__bar-cell" aria-hidden="true">
                    <span className="storage__bar" style={{ width: `${largest ? Math.max(2, Math.round((r.bytes / largest) * 100)) : 0}%` }} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
