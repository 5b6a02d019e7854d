// Start a DM, or a group DM with up to seven others.
import { useState } from 'react';
import { ApiError } from '../../api/http';
import { Modal } from '../../components/Modal';
import { openDm } from '../../store/actions';
import { useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';
import { PeoplePicker } from './PeoplePicker';

export function NewDm() {
  const me = useStore((s) => s.data.me);
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    try {
      await openDm(picked);
      closeDialog();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not open the conversation.');
    }
  };
  return (
    <Modal title="New message" onClose={closeDialog}>
      <div className="modal__body">
        <p className="muted">Pick one person for a direct message, or up to seven for a group.</p>
        <PeoplePicker picked={picked} setPicked={setPicked} exclude={[me]} max={7} />
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="modal__footer">
          <button type="button" className="btn" onClick={closeDialog}>Cancel</button>
          <button type="button" className="btn btn--primary" disabled={picked.length === 0} onClick={() => void go()}>
            {picked.length > 1 ? 'Start group conversation' : 'Go to conversation'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
