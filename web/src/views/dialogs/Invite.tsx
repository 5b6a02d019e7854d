// Admins: a single-use invite link, and whether anyone may sign up without one.
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { Modal } from '../../components/Modal';
import { copyLink } from '../../store/actions';
import { setStore, useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';

export function Invite() {
  const workspace = useStore((s) => s.workspace);
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const make = () => api.createInvite().then((r) => setLink(r.url), (e) => setError(e instanceof ApiError ? e.message : 'Could not create an invite.'));
  useEffect(() => void make(), []);
  const setOpen = async (openSignup: boolean) => {
    try {
      setStore({ workspace: await api.updateWorkspace({ openSignup }) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not change sign-up.');
    }
  };
  return (
    <Modal title={`Invite people to ${workspace?.name ?? 'Parley'}`} onClose={closeDialog}>
      <div className="modal__body">
        <p>Send this link to one person. It works once and expires in 7 days.</p>
        <div className="invite-link">
          <input readOnly value={link ?? 'Creating…'} aria-label="Invite link" onFocus={(e) => e.target.select()} />
          <button type="button" className="btn btn--primary" disabled={!link} onClick={() => link && void copyLink(link)}>Copy</button>
        </div>
        <button type="button" className="link-btn" onClick={() => void make()}>Make another link</button>
        <label className="toggle">
          <input type="checkbox" checked={!!workspace?.openSignup} onChange={(e) => void setOpen(e.target.checked)} />
          <span><strong>Anyone can sign up</strong><br /><span className="muted">Without an invite, from the sign-in page.</span></span>
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
      </div>
    </Modal>
  );
}
