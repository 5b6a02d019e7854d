// "Delete this message?" with the message shown.
import type { Message } from '@parley/protocol';
import { Modal } from '../../components/Modal';
import { Markdown } from '../../markdown/Markdown';
import { deleteMessage } from '../../store/actions';
import { closeDialog } from '../../store/ui';

export function ConfirmDelete({ message }: { message: Message }) {
  return (
    <Modal title="Delete message" onClose={closeDialog}>
      <div className="modal__body">
        <p>Are you sure you want to delete this message? This can’t be undone.</p>
        <blockquote className="quote-preview"><Markdown text={message.text} /></blockquote>
        <div className="modal__footer">
          <button type="button" className="btn" onClick={closeDialog}>Cancel</button>
          <button type="button" className="btn btn--danger" autoFocus onClick={() => { closeDialog(); void deleteMessage(message.id); }}>Delete</button>
        </div>
      </div>
    </Modal>
  );
}
