// Says when the connection is gone, and that messages written meanwhile will be sent.
import { useEffect, useState } from 'react';
import { reconnectNow } from '../store/session';
import { useStore } from '../store/store';

export function ConnectionBanner() {
  const connection = useStore((s) => s.connection);
  const since = useStore((s) => s.offlineSince);
  const queued = useStore((s) => s.outbox.filter((o) => o.state === 'queued' || o.state === 'sending').length);
  const [show, setShow] = useState(false);
  // A blip shorter than a second is not worth a banner.
  useEffect(() => {
    if (connection === 'online' || since === null) return setShow(false);
    const t = setTimeout(() => setShow(true), Math.max(0, 1000 - (Date.now() - since)));
    return () => clearTimeout(t);
  }, [connection, since]);
  if (!show) return null;
  return (
    <div className="conn-banner" role="status" aria-live="polite">
      <span className="conn-banner__dot" aria-hidden="true" />
      <span>
        {connection === 'connecting' ? 'Connecting…' : 'You’re offline. Reconnecting…'}
        {queued > 0 && ` ${queued} ${queued === 1 ? 'message' : 'messages'} will be sent when you’re back.`}
      </span>
      <button type="button" className="link-btn" onClick={reconnectNow}>Try now</button>
    </div>
  );
}
