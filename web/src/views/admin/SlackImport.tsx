// Admins: import a Slack export. Choose the zip (and whether this is a dry run), watch the
// upload, then the import's progress (read from the job every second: counts and the rate
// between two readings), then read the report: per kind what the export held and what became
// of it, the skipped items with their reasons, and the whole report as a JSON download.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/http';
import { getImport, IMPORT_KINDS, startImport, type ImportJob, type ImportKind, type ImportReport } from '../../api/imports';
import { Modal } from '../../components/Modal';
import { closeDialog } from '../../store/ui';

const LABELS: Record<ImportKind, string> = {
  users: 'Users', channels: 'Channels', messages: 'Messages', threadReplies: 'Thread replies',
  reactions: 'Reactions', pins: 'Pins', files: 'Files', edits: 'Edits',
};
const POLL_MS = 1000;
const n = (x: number) => x.toLocaleString();
const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;

type Stage =
  | { name: 'choose' }
  | { name: 'uploading'; sent: number; total: number }
  | { name: 'importing'; job: ImportJob };

export function SlackImportDialog() {
  return (
    <Modal title="Import from Slack" onClose={closeDialog} wide>
      <div className="modal__body"><SlackImport /></div>
    </Modal>
  );
}

/** The panel itself, usable as a tab of the admin area too. */
export function SlackImport() {
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [stage, setStage] = useState<Stage>({ name: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<(() => void) | null>(null);
  useEffect(() => () => abort.current?.(), []);

  const start = async () => {
    if (!file) return;
    setError(null);
    setStage({ name: 'uploading', sent: 0, total: file.size });
    const upload = startImport(file, dryRun, (sent, total) => setStage({ name: 'uploading', sent, total }));
    abort.current = upload.abort;
    try {
      const job = await upload.done;
      setStage({ name: 'importing', job });
    } catch (e) {
      setStage({ name: 'choose' });
      setError(e instanceof ApiError ? e.message : 'The upload failed.');
    } finally {
      abort.current = null;
    }
  };

  if (stage.name === 'importing') return <ImportWatch first={stage.job} onAgain={() => { setFile(null); setStage({ name: 'choose' }); }} />;
  return (
    <div className="slack-import">
      <p>Upload the zip from Slack's <em>Export data</em> page. People are matched to existing accounts by email;
        everything imported counts as read. Running the same export again adds only what is new.</p>
      <label className="field">
        <span>Slack export (.zip)</span>
        <input type="file" accept=".zip,application/zip" aria-label="Slack export zip" disabled={stage.name === 'uploading'}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="toggle">
        <input type="checkbox" checked={dryRun} disabled={stage.name === 'uploading'} onChange={(e) => setDryRun(e.target.checked)} />
        <span><strong>Dry run</strong><br /><span className="muted">Read everything and report what would be imported, without writing.</span></span>
      </label>
      {stage.name === 'uploading' && (
        <div role="status" aria-label="Upload progress">
          <progress max={stage.total || 1} value={stage.sent} style={{ width: '100%' }} />
          <div className="muted">Uploading {mb(stage.sent)} of {mb(stage.total)}</div>
        </div>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="modal__actions">
        {stage.name === 'uploading'
          ? <button type="button" className="btn" onClick={() => abort.current?.()}>Cancel upload</button>
          : <button type="button" className="btn btn--primary" disabled={!file} onClick={() => void start()}>{dryRun ? 'Start dry run' : 'Start import'}</button>}
      </div>
    </div>
  );
}

/** Reads the job until it is done or failed, then shows the report. */
function ImportWatch({ first, onAgain }: { first: ImportJob; onAgain: () => void }) {
  const [job, setJob] = useState(first);
  const [rate, setRate] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let last: { at: number; messages: number } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getImport(first.id);
        if (stopped) return;
        setJob(next);
        setError(null);
        const messages = next.progress?.messages ?? 0;
        const now = Date.now();
        if (last && now > last.at && messages >= last.messages) setRate(((messages - last.messages) * 1000) / (now - last.at));
        last = { at: now, messages };
        if (next.status === 'done' || next.status === 'failed') return;
      } catch (e) {
        if (stopped) return;
        setError(e instanceof ApiError ? e.message : 'Cannot read the import’s progress; retrying.');
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [first.id]);

  const finished = job.status === 'done' || job.status === 'failed';
  const p = job.progress;
  return (
    <div className="slack-import">
      <p role="status" aria-label="Import status">
        <strong>{job.dryRun ? 'Dry run' : 'Import'} {job.status === 'done' ? 'finished' : job.status === 'failed' ? 'stopped' : job.status === 'queued' ? 'queued' : 'running'}</strong>
        {p && !finished && <> — {p.phase}: {n(p.messages)} messages read, {p.channelsDone} of {p.channelsTotal} conversations
          {rate !== null && <>, {n(Math.round(rate))} messages/s</>}</>}
      </p>
      {p && !finished && <progress aria-label="Import progress" max={p.bytesTotal || 1} value={p.bytesDone} style={{ width: '100%' }} />}
      {!finished && job.dryRun && <p className="muted">A dry run reports only at the end.</p>}
      {(job.error ?? error) && <p className="form-error" role="alert">{job.error ?? error}{job.status === 'failed' && !job.dryRun ? ' What was imported stays; start the same export again to continue.' : ''}</p>}
      {job.report && finished && <Report report={job.report} id={job.id} />}
      {finished && <div className="modal__actions"><button type="button" className="btn" onClick={onAgain}>Import another export</button></div>}
    </div>
  );
}

function Report({ report, id }: { report: ImportReport; id: string }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [report]);
  const skipped = IMPORT_KINDS.filter((k) => report.kinds[k].skippedItems.length > 0);
  return (
    <section aria-label="Import report">
      <table className="import-report" style={{ width: '100%', borderCollapse: 'collapse', margin: '8px 0' }}>
        <thead>
          <tr><th scope="col" style={{ textAlign: 'left' }}>Kind</th><th scope="col">In export</th><th scope="col">Imported</th><th scope="col">Already here</th><th scope="col">Skipped</th></tr>
        </thead>
        <tbody>
          {IMPORT_KINDS.map((k) => {
            const c = report.kinds[k];
            return (
              <tr key={k} data-kind={k}>
                <th scope="row" style={{ textAlign: 'left' }}>{LABELS[k]}</th>
                <td style={{ textAlign: 'right' }}>{n(c.inExport)}</td><td style={{ textAlign: 'right' }}>{n(c.imported)}</td>
                <td style={{ textAlign: 'right' }}>{n(c.alreadyPresent)}</td><td style={{ textAlign: 'right' }}>{n(c.skipped)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {href && <a className="btn" href={href} download={`slack-import-${id}.json`}>Download the report (JSON)</a>}
      {skipped.length > 0 && <h3>Skipped</h3>}
      {skipped.map((k) => (
        <details key={k}>
          <summary>{LABELS[k]}: {n(report.kinds[k].skipped)}</summary>
          <ul className="import-skipped">
            {report.kinds[k].skippedItems.map((s, i) => <li key={i}><code>{s.id}</code> — {s.reason}</li>)}
          </ul>
        </details>
      ))}
      {report.renames.length > 0 && (
        <details><summary>Renamed: {report.renames.length}</summary>
          <ul>{report.renames.map((r, i) => <li key={i}>{r.kind} {r.from} → {r.to}</li>)}</ul>
        </details>
      )}
      {report.notes.length > 0 && (
        <details><summary>Notes: {report.notes.length}</summary>
          <ul>{report.notes.map((x, i) => <li key={i}>{x}</li>)}</ul>
        </details>
      )}
    </section>
  );
}
