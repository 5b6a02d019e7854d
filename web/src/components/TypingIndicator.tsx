// "Alice is typing…" for the channel or thread in view.
import { useEffect, useState } from 'react';
import { userName } from '../store/selectors';
import { typingKey, useStore } from '../store/store';

export function TypingIndicator({ channelId, threadRootId }: { channelId: string; threadRootId: string | null }) {
  const entry = useStore((s) => s.typing[typingKey(channelId, threadRootId)]);
  const users = useStore((s) => s.data.users);
  const [now, setNow] = useState(Date.now());
  const active = Object.entries(entry ?? {}).filter(([, until]) => until > now).map(([id]) => userName(users[id]));
  useEffect(() => {
    if (!entry) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [entry]);
  let text = '';
  if (active.length === 1) text = `${active[0]} is typing…`;
  else if (active.length === 2) text = `${active[0]} and ${active[1]} are typing…`;
  else if (active.length > 2) text = 'Several people are typing…';
  return <div className="typing" aria-live="polite">{text && <><span className="typing__dots" aria-hidden="true"><i /><i /><i /></span>{text}</>}</div>;
}
