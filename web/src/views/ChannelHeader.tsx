// The bar above a channel: name (with the channel menu), topic, members, pins.
import type { MyChannel } from '@parley/protocol';
import { useRef, useState } from 'react';
import { Avatar, PresenceDot } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { MenuItem, Popover } from '../components/Popover';
import { leaveChannel, setMuted } from '../store/actions';
import { channelLabel, dmPartners, isDm } from '../store/selectors';
import { setStore, useStore } from '../store/store';
import { openDialog } from '../store/ui';
import { SearchBox } from './search/SearchBox';

export function ChannelHeader({ channel }: { channel: MyChannel }) {
  const data = useStore((s) => s.data);
  const [menu, setMenu] = useState(false);
  const nameRef = useRef<HTMLButtonElement>(null);
  const dm = isDm(channel);
  const partner = dm && channel.kind === 'dm' ? dmPartners(channel, data)[0] : undefined;
  const title = channelLabel(channel, data);

  return (
    <header className="channel-header">
      <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}>
        <Icon name="menu" />
      </button>
      <div className="channel-header__main">
        <h1 className="channel-header__title">
          <button ref={nameRef} type="button" className="channel-header__name" aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu(true)}>
            {partner ? <Avatar user={data.users[partner]} size={22} /> : <Icon name={channel.kind === 'private' ? 'lock' : dm ? 'users' : 'hash'} size={16} />}
            <span>{dm ? title : channel.name}</span>
            {partner && <PresenceDot status={data.presence[partner] ?? 'offline'} />}
            {channel.muted && <Icon name="belloff" size={14} className="muted" />}
            <Icon name="chevron" size={14} className="chevron-down" />
          </button>
        </h1>
        {channel.topic && <p className="channel-header__topic" title={channel.topic}>{channel.topic}</p>}
      </div>
      <div className="channel-header__tools">
        <SearchBox />
        <button type="button" className="header-btn" aria-label={`${channel.memberCount} members`} title="Members"
          onClick={() => openDialog({ kind: 'details', channelId: channel.id, tab: 'members' })}>
          <Icon name="users" size={16} /> <span>{channel.memberCount}</span>
        </button>
        <button type="button" className="header-btn" aria-label="Pinned messages" title="Pinned messages"
          onClick={() => openDialog({ kind: 'pins', channelId: channel.id })}>
          <Icon name="pin" size={16} />
        </button>
      </div>
      {menu && (
        <Popover anchor={nameRef.current} onClose={() => setMenu(false)} label="Channel menu" role="menu">
          <MenuItem onSelect={() => { setMenu(false); openDialog({ kind: 'details', channelId: channel.id, tab: 'about' }); }}>
            <Icon name="message" /> {dm ? 'Conversation details' : 'Channel details'}
          </MenuItem>
          {!dm && <MenuItem onSelect={() => { setMenu(false); openDialog({ kind: 'details', channelId: channel.id, tab: 'members' }); }}><Icon name="users" /> Add people</MenuItem>}
          <MenuItem onSelect={() => { setMenu(false); void setMuted(channel.id, !channel.muted); }}>
            <Icon name={channel.muted ? 'bell' : 'belloff'} /> {channel.muted ? 'Unmute' : 'Mute'} {dm ? 'conversation' : 'channel'}
          </MenuItem>
          {!dm && !channel.isGeneral && (
            <MenuItem danger onSelect={() => { setMenu(false); void leaveChannel(channel.id); }}><Icon name="leave" /> Leave channel</MenuItem>
          )}
        </Popover>
      )}
    </header>
  );
}
