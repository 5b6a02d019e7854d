// Ten one-time recovery codes, shown once: copy them or download them as a text file.
import { toast } from '../../store/store';

export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Parley recovery codes (${location.host}). Each works once.\n\n${codes.join('\n')}\n`;
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    toast('Recovery codes copied');
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'parley-recovery-codes.txt' });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="recovery" role="region" aria-label="Recovery codes">
      <p><strong>Save these recovery codes.</strong> If you lose your phone or passkey, each one signs you in once. They will not be shown again.</p>
      <ol className="recovery__codes">
        {codes.map((c) => <li key={c}><code>{c}</code></li>)}
      </ol>
      <div className="settings__actions">
        <button type="button" className="btn" onClick={copy}>Copy</button>
        <button type="button" className="btn" onClick={download}>Download</button>
        <button type="button" className="btn btn--primary" onClick={onDone}>I saved them</button>
      </div>
    </div>
  );
}
