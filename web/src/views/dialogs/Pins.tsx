// A channel's pinned messages; click one to jump to it.
import type { Message } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { Modal } from '../../components/Modal';
import { Markdown } from '../../markdown/Markdown';
import { channelPath, navigate } from '../../lib/router';
import { formatShort } from '../../lib/time';
import { userName } from '../../store/selectors';
import { useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';

export function Pins({ channelId }: { channelId: string }) {
  const users = useStore((s) => s.data.users);
  const [pins, setPins] = useState<Message[] | null>(null);
  useEffect(() => void api.pins(channelId).then((r) => setPins(r.messages), () => setPins([])), [channelId]);
  return (
    <Modal title="Pinned messages" onClose={closeDialog}>
      <ul className="pins modal__body" role="list">
        {pins === null && <li className="muted">Loading…</li>}
        {pins?.length === 0 && <li className="muted">Nothing is pinned yet. Pin a message from its “More actions” menu.</li>}
        {pins?.map((m) => (
          <li key={m.id}>
            <button type="button" className="pin" onClick={() => { closeDialog(); navigate(channelPath(channelId, { message: m.id })); }}>
              <span className="pin__meta"><strong>{userName(users[m.userId])}</strong> <span className="muted">{formatShort(m.createdAt)}</span></span>
              <Markdown text={m.text} />
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
