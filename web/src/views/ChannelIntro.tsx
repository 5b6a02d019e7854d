// The top of a channel's history: what this channel is, and on first run a welcome.
import type { Channel } from '@parley/protocol';
import { useState } from 'react';
import { Icon } from '../components/Icon';
import { load, save } from '../lib/storage';
import { dayPhrase } from '../lib/time';
import { channelTitle, isDm, userName } from '../store/selectors';
import { useStore } from '../store/store';
import { openDialog } from '../store/ui';

export function ChannelIntro({ channel }: { channel: Channel }) {
  const data = useStore((s) => s.data);
  const workspace = useStore((s) => s.workspace);
  const admin = data.users[data.me]?.role === 'admin';
  const [welcome, setWelcome] = useState(() => channel.isGeneral && load<boolean>('welcome', false));
  const mine = data.channels[channel.id];
  const dm = mine && isDm(mine);
  return (
    <div className="channel-intro">
      {welcome && (
        <section className="welcome" aria-label="Welcome">
          <h2>Welcome to {workspace?.name || 'Parley'} 👋</h2>
          <p>Your workspace is ready. This is <strong>#general</strong>, where everyone lands. Next:</p>
          <ul>
            {admin && <li><button type="button" className="link-btn" onClick={() => openDialog({ kind: 'invite' })}>Invite your team</button> with a sign-up link.</li>}
            <li><button type="button" className="link-btn" onClick={() => openDialog({ kind: 'createChannel' })}>Create a channel</button> for a project or topic.</li>
            <li>Say hello below. Press <kbd>Ctrl</kbd> + <kbd>K</kbd> any time to jump around.</li>
          </ul>
          <button type="button" className="btn btn--small" onClick={() => { save('welcome', null); setWelcome(false); }}>Got it</button>
        </section>
      )}
      <div className="channel-intro__icon" aria-hidden="true"><Icon name={channel.kind === 'private' ? 'lock' : dm ? 'users' : 'hash'} size={28} /></div>
      {dm && mine ? (
        <>
          <h2>{channelTitle(mine, data)}</h2>
          <p>This is the very beginning of your direct message history with {channelTitle(mine, data)}.</p>
        </>
      ) : (
        <>
          <h2>{channel.isGeneral ? 'Welcome to #general' : `This is the very beginning of #${channel.name}`}</h2>
          <p>
            {channel.purpose || (channel.createdBy
              ? `${userName(data.users[channel.createdBy])} created this channel ${dayPhrase(channel.createdAt)}.`
              : `This channel was created ${dayPhrase(channel.createdAt)}.`)}
          </p>
        </>
      )}
    </div>
  );
}
