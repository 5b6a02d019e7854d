// The sidebar: workspace menu, Threads, then Channels and Direct messages in collapsible
// sections. Bold for unread, a badge for mentions (every DM message counts), presence dots
// on DMs, muted channels greyed. On a phone it is a drawer.
import type { MyChannel } from '@parley/protocol';
import { useRef, useState } from 'react';
import { Avatar, PresenceDot } from '../components/Avatar';
import { Icon } from '../components/Icon';
import { MenuItem, Popover } from '../components/Popover';
import { emojiChar } from '../emoji/emoji';
import { channelPath, navigate, onLinkClick, type Route } from '../lib/router';
import { load, save } from '../lib/storage';
import { setTheme, useTheme } from '../lib/theme';
import { signOut } from '../store/session';
import { channelTitle, dmPartners, sidebarLists, unreadThreads, userName } from '../store/selectors';
import { setStore, useStore } from '../store/store';
import { openDialog } from '../store/ui';

export function useCollapsed(): [Record<string, boolean>, (id: string) => void] {
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>(() => load('sidebarCollapsed', {}));
  const toggle = (id: string) => {
    const next = { ...collapsed, [id]: !collapsed[id] };
    setCollapsed(next);
    save('sidebarCollapsed', next);
  };
  return [collapsed, toggle];
}

export function Sidebar({ route }: { route: Route }) {
  const data = useStore((s) => s.data);
  const workspace = useStore((s) => s.workspace);
  const [collapsed, toggle] = useCollapsed();
  const { channels, dms } = sidebarLists(data);
  const activeId = route.name === 'channel' ? route.channelId : null;
  const threadsUnread = unreadThreads(data);
  const close = () => setStore({ drawerOpen: false });

  return (
    <nav className="sidebar" aria-label="Sidebar">
      <WorkspaceMenu name={workspace?.name || 'Parley'} />
      <div className="sidebar__scroll">
        <ul className="sidebar__list" role="list">
          <li>
            <a href="/threads" className={`sidebar__item${route.name === 'threads' ? ' sidebar__item--active' : ''}${threadsUnread ? ' sidebar__item--unread' : ''}`}
              aria-current={route.name === 'threads' ? 'page' : undefined} onClick={(e) => onLinkClick(e, '/threads', close)}>
              <Icon name="thread" size={16} /> <span className="sidebar__name">Threads</span>
              {threadsUnread > 0 && <span className="badge" aria-label={`${threadsUnread} threads with new replies`}>{threadsUnread}</span>}
            </a>
          </li>
        </ul>
        <Section id="channels" title="Channels" collapsed={!!collapsed.channels} toggle={toggle}
          addLabel="Add channels" onAdd={(anchor) => anchor}>
          {channels.filter((c) => !collapsed.channels || c.id === activeId || (!c.muted && c.unreadCount > 0)).map((c) => (
            <ChannelRow key={c.id} c={c} active={c.id === activeId} onNavigate={close} />
          ))}
        </Section>
        <Section id="dms" title="Direct messages" collapsed={!!collapsed.dms} toggle={toggle} addLabel="New message" onAdd={() => openDialog({ kind: 'newDm' })}>
          {dms.filter((c) => !collapsed.dms || c.id === activeId || c.unreadCount > 0).map((c) => (
            <ChannelRow key={c.id} c={c} active={c.id === activeId} onNavigate={close} />
          ))}
          {!collapsed.dms && (
            <li><button type="button" className="sidebar__item sidebar__item--add" onClick={() => openDialog({ kind: 'newDm' })}>
              <Icon name="plus" size={16} /> <span className="sidebar__name">Start a conversation</span></button></li>
          )}
        </Section>
      </div>
      <MeFooter />
    </nav>
  );
}

function Section({ id, title, collapsed, toggle, children, addLabel, onAdd }: {
  id: string; title: string; collapsed: boolean; toggle: (id: string) => void; children: React.ReactNode;
  addLabel: string; onAdd: (anchor: HTMLElement) => void;
}) {
  const [menu, setMenu] = useState(false);
  const addRef = useRef<HTMLButtonElement>(null);
  const isChannels = id === 'channels';
  return (
    <section className="sidebar__section" aria-labelledby={`section-${id}`}>
      <div className="sidebar__section-head">
        <button type="button" className="sidebar__section-toggle" aria-expanded={!collapsed} onClick={() => toggle(id)} id={`section-${id}`}>
          <Icon name="chevron" size={12} className={collapsed ? 'chev' : 'chev chev--open'} /> {title}
        </button>
        <button ref={addRef} type="button" className="icon-btn icon-btn--small" aria-label={addLabel} title={addLabel}
          onClick={() => (isChannels ? setMenu(true) : onAdd(addRef.current!))}>
          <Icon name="plus" size={14} />
        </button>
      </div>
      <ul className="sidebar__list" role="list">
        {children}
        {isChannels && !collapsed && (
          <li><button type="button" className="sidebar__item sidebar__item--add" onClick={() => openDialog({ kind: 'browse' })}>
            <Icon name="plus" size={16} /> <span className="sidebar__name">Browse channels</span></button></li>
        )}
      </ul>
      {menu && (
        <Popover anchor={addRef.current} onClose={() => setMenu(false)} label="Add channels" role="menu">
          <MenuItem onSelect={() => { setMenu(false); openDialog({ kind: 'createChannel' }); }}><Icon name="plus" /> Create a channel</MenuItem>
          <MenuItem onSelect={() => { setMenu(false); openDialog({ kind: 'browse' }); }}><Icon name="search" /> Browse channels</MenuItem>
        </Popover>
      )}
    </section>
  );
}

function ChannelRow({ c, active, onNavigate }: { c: MyChannel; active: boolean; onNavigate: () => void }) {
  const data = useStore((s) => s.data);
  const dm = c.kind === 'dm' || c.kind === 'group';
  const partners = dmPartners(c, data);
  const to = channelPath(c.id);
  const unread = !active && c.unreadCount > 0 && !c.muted;
  // Every message in a DM is for me; in channels only mentions get a number.
  const badge = active ? 0 : dm ? c.unreadCount : c.mentionCount;
  const title = channelTitle(c, data);
  const describe = [title, unread && `${c.unreadCount} unread`, badge > 0 && `${badge} ${dm ? 'new' : badge === 1 ? 'mention' : 'mentions'}`, c.muted && 'muted']
    .filter(Boolean).join(', ');
  return (
    <li>
      <a href={to} className={`sidebar__item${active ? ' sidebar__item--active' : ''}${unread ? ' sidebar__item--unread' : ''}${c.muted ? ' sidebar__item--muted' : ''}`}
        aria-current={active ? 'page' : undefined} aria-label={describe} data-channel-id={c.id} data-channel={c.name ?? title}
        onClick={(e) => onLinkClick(e, to, onNavigate)}>
        {dm ? (
          c.kind === 'dm' && partners.length === 1 ? (
            <span className="sidebar__avatar"><Avatar user={data.users[partners[0]!]} size={20} /><PresenceDot status={data.presence[partners[0]!] ?? 'offline'} /></span>
          ) : c.kind === 'dm' ? (
            <span className="sidebar__avatar"><Avatar user={data.users[data.me]} size={20} /></span>
          ) : <span className="sidebar__group-count" aria-hidden="true">{partners.length + 1}</span>
        ) : <Icon name={c.kind === 'private' ? 'lock' : 'hash'} size={16} />}
        <span className="sidebar__name">{title}</span>
        {badge > 0 && <span className="badge" aria-hidden="true">{badge}</span>}
      </a>
    </li>
  );
}

function WorkspaceMenu({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLButtonElement>(null);
  const admin = useStore((s) => s.data.users[s.data.me]?.role === 'admin');
  return (
    <header className="sidebar__header">
      <button ref={ref} type="button" className="sidebar__workspace" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(true)}>
        <span className="sidebar__workspace-name">{name}</span> <Icon name="chevron" size={12} className="chevron-down" />
      </button>
      <button type="button" className="icon-btn sidebar__compose" aria-label="New message" title="New message" onClick={() => openDialog({ kind: 'newDm' })}>
        <Icon name="compose" />
      </button>
      <button type="button" className="icon-btn drawer-close" aria-label="Close sidebar" onClick={() => setStore({ drawerOpen: false })}>
        <Icon name="close" />
      </button>
      {open && (
        <Popover anchor={ref.current} onClose={() => setOpen(false)} label="Workspace menu" role="menu">
          {admin && <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'invite' }); }}><Icon name="users" /> Invite people</MenuItem>}
          <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'createChannel' }); }}><Icon name="plus" /> Create a channel</MenuItem>
          <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'switcher' }); }}><Icon name="search" /> Jump to… <kbd>Ctrl K</kbd></MenuItem>
          <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'profile' }); }}><Icon name="edit" /> Profile and status</MenuItem>
          <MenuItem onSelect={() => { setOpen(false); navigate('/settings/security'); }}><Icon name="lock" /> Settings</MenuItem>
          {admin && <MenuItem onSelect={() => { setOpen(false); navigate('/admin/users'); }}><Icon name="users" /> Admin</MenuItem>}
          {admin && <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'slackImport' }); }}><Icon name="upload" /> Import from Slack</MenuItem>}
          <MenuItem onSelect={() => { setOpen(false); openDialog({ kind: 'customEmoji' }); }}><Icon name="smile" /> Custom emoji</MenuItem>
          <MenuItem onSelect={() => { setOpen(false); void signOut(); }}><Icon name="leave" /> Sign out of {name}</MenuItem>
        </Popover>
      )}
    </header>
  );
}

function MeFooter() {
  const me = useStore((s) => s.data.users[s.data.me]);
  const presence = useStore((s) => s.data.presence[s.data.me] ?? 'online');
  const connection = useStore((s) => s.connection);
  const { dark } = useTheme();
  return (
    <footer className="sidebar__footer">
      <button type="button" className="sidebar__me" onClick={() => openDialog({ kind: 'profile' })} aria-label="Profile and status">
        <span className="sidebar__avatar"><Avatar user={me} size={28} /><PresenceDot status={connection === 'online' ? presence : 'offline'} /></span>
        <span className="sidebar__me-text">
          <span className="sidebar__me-name">{userName(me)}</span>
          <span className="sidebar__me-status">
            {me?.statusEmoji || me?.statusText
              ? <>{emojiChar(me.statusEmoji) ?? ''} {me.statusText}</>
              : connection === 'online' ? 'Active' : 'Offline'}
          </span>
        </span>
      </button>
      <button type="button" className="icon-btn" aria-label={dark ? 'Switch to light theme' : 'Switch to dark theme'} title="Theme"
        onClick={() => setTheme(dark ? 'light' : 'dark')}>
        <Icon name={dark ? 'sun' : 'moon'} />
      </button>
    </footer>
  );
}
