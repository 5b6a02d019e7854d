// Channel details: topic (editable), purpose, and members with "add people".
import type { ChannelMember } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { Avatar, PresenceDot } from '../../components/Avatar';
import { Modal } from '../../components/Modal';
import { dayPhrase } from '../../lib/time';
import { leaveChannel, openDm, setMuted, updateTopic } from '../../store/actions';
import { channelLabel, isDm, userName } from '../../store/selectors';
import { usePresenceWatch } from '../../store/presence';
import { ensureUser } from '../../store/sync';
import { useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';
import { ChannelFiles } from './ChannelFiles';
import { PeoplePicker } from './PeoplePicker';

export function ChannelDetails({ channelId, tab: initialTab }: { channelId: string; tab: 'about' | 'members' }) {
  const channel = useStore((s) => s.data.channels[channelId]);
  const data = useStore((s) => s.data);
  const [tab, setTab] = useState<'about' | 'members' | 'files'>(initialTab);
  const [members, setMembers] = useState<ChannelMember[] | null>(null);
  const [adding, setAdding] = useState<string[]>([]);
  const [topic, setTopic] = useState(channel?.topic ?? '');
  const [error, setError] = useState<string | null>(null);

  usePresenceWatch((members ?? []).map((m) => m.userId).slice(0, 500));
  const reload = () => api.members(channelId).then((r) => { r.members.forEach((m) => ensureUser(m.userId)); setMembers(r.members); }, () => setMembers([]));
  useEffect(() => void reload(), [channelId, channel?.memberCount]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!channel) return null;
  const dm = isDm(channel);

  const add = async () => {
    try {
      await api.addMembers(channelId, adding);
      setAdding([]);
      void reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not add them.');
    }
  };

  return (
    <Modal title={channelLabel(channel, data)} onClose={closeDialog} wide>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'about'} onClick={() => setTab('about')}>About</button>
        <button type="button" role="tab" aria-selected={tab === 'members'} onClick={() => setTab('members')}>Members {channel.memberCount}</button>
        <button type="button" role="tab" aria-selected={tab === 'files'} onClick={() => setTab('files')}>Files</button>
      </div>
      <div className="modal__body" role="tabpanel">
        {tab === 'files' ? <ChannelFiles channelId={channelId} /> : tab === 'about' ? (
          <>
            {!dm && (
              <form className="field" onSubmit={(e) => { e.preventDefault(); void updateTopic(channelId, topic); }}>
                <label htmlFor="topic">Topic</label>
                <div className="status-row">
                  <input id="topic" value={topic} maxLength={250} onChange={(e) => setTopic(e.target.value)} placeholder="Add a topic" disabled={channel.archived} />
                  <button type="submit" className="btn" disabled={topic === channel.topic}>Save</button>
                </div>
              </form>
            )}
            {channel.purpose && <p><strong>Purpose</strong><br />{channel.purpose}</p>}
            <p className="muted">
              {channel.createdBy ? `Created by ${userName(data.users[channel.createdBy])} ${dayPhrase(channel.createdAt)}.` : `Created ${dayPhrase(channel.createdAt)}.`}
              {channel.kind === 'private' && ' Private: only members can see it.'}
              {channel.archived && ' Archived.'}
            </p>
            <div className="modal__footer modal__footer--split">
              <button type="button" className="btn" onClick={() => void setMuted(channelId, !channel.muted)}>{channel.muted ? 'Unmute' : 'Mute'}</button>
              {!dm && !channel.isGeneral && <button type="button" className="btn btn--danger-text" onClick={() => { closeDialog(); void leaveChannel(channelId); }}>Leave channel</button>}
            </div>
          </>
        ) : (
          <>
            {!dm && !channel.archived && (
              <div className="add-people">
                <PeoplePicker picked={adding} setPicked={setAdding} exclude={(members ?? []).map((m) => m.userId)} onlyWhenSearching placeholder="Add people by name" />
                <button type="button" className="btn btn--primary" disabled={adding.length === 0} onClick={() => void add()}>Add {adding.length || ''}</button>
              </div>
            )}
            {error && <p className="form-error" role="alert">{error}</p>}
            <ul className="pick-list" role="list" aria-label="Members">
              {members === null && <li className="muted">Loading…</li>}
              {members?.map((m) => (
                <li key={m.userId} className="pick-list__item pick-list__item--person">
                  <span className="sidebar__avatar"><Avatar user={data.users[m.userId]} size={28} /><PresenceDot status={data.presence[m.userId] ?? 'offline'} /></span>
                  <span className="pick-list__title">{userName(data.users[m.userId])}{m.userId === data.me && ' (you)'}</span>
                  <span className="muted">@{data.users[m.userId]?.username}{m.role === 'owner' ? ' · owner' : ''}</span>
                  {m.userId !== data.me && <button type="button" className="btn btn--small" onClick={() => { closeDialog(); void openDm([m.userId]); }}>Message</button>}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Modal>
  );
}
