// A person's avatar: initials on a colour of their own, with an optional presence dot.
import type { PresenceStatus, User } from '@parley/protocol';
import { initials, userColor } from '../store/selectors';

export function Avatar({ user, size = 36, presence }: { user: User | undefined; size?: number; presence?: PresenceStatus }) {
  return (
    <span className="avatar" aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.4, background: user ? userColor(user.id) : '#888' }}>
      {initials(user)}
      {presence && <PresenceDot status={presence} />}
    </span>
  );
}

export function PresenceDot({ status }: { status: PresenceStatus }) {
  return <span className={`presence presence--${status}`} title={status} />;
}
