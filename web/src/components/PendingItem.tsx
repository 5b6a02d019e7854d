// A message on its way: queued while offline, sending, or failed with Retry.
import { Markdown } from '../markdown/Markdown';
import { discard, retry } from '../store/outbox';
import { userName } from '../store/selectors';
import { useStore, type Outgoing } from '../store/store';
import { Avatar } from './Avatar';
import { Attachments } from './files/Attachments';

export function PendingItem({ item, grouped }: { item: Outgoing; grouped: boolean }) {
  const me = useStore((s) => s.data.users[s.data.me]);
  const offline = useStore((s) => s.connection !== 'online');
  const status = item.state === 'failed'
    ? null
    : item.state === 'queued' && offline ? 'Waiting for connection — will send when you’re back online' : 'Sending…';
  return (
    <div className={`msg msg--pending${grouped ? ' msg--grouped' : ''}${item.state === 'failed' ? ' msg--failed' : ''}`}
      role="article" aria-label={`${userName(me)}, ${item.state === 'failed' ? 'not sent' : 'sending'}`} data-client-id={item.clientId} data-state={item.state}>
      <div className="msg__gutter">{!grouped && <Avatar user={me} size={36} />}</div>
      <div className="msg__content">
        {!grouped && <div className="msg__header"><span className="msg__author">{userName(me)}</span></div>}
        <div className="msg__body"><Markdown text={item.text} /></div>
        {item.files && <Attachments files={item.files} />}
        {status && <div className="msg__sending" role="status">{status}</div>}
        {item.state === 'failed' && (
          <div className="msg__failed" role="alert">
            {item.errorCode === 'confirm_channel_mention' ? (
              <>
                <span>{item.error}</span>
                <button type="button" className="link-btn" onClick={() => retry(item.clientId, { confirmChannelMention: true })}>Send anyway</button>
              </>
            ) : (
              <>
                <span>Not sent: {item.error}</span>
                <button type="button" className="link-btn" onClick={() => retry(item.clientId)}>Retry</button>
              </>
            )}
            <button type="button" className="link-btn link-btn--danger" onClick={() => discard(item.clientId)}>Delete</button>
          </div>
        )}
      </div>
    </div>
  );
}
