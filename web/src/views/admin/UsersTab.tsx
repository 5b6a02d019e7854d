// Admin → Users: everyone, with their role and state; change a role, deactivate or reactivate,
// end all of someone's sessions and tokens, or make a single-use password-reset link.
import type { User, UserRole } from '@parley/protocol';
import { useState } from 'react';
import { security } from '../../api/security';
import { Avatar } from '../../components/Avatar';
import { problem, useLoad } from '../../lib/useLoad';
import { getStore, setStore, toast, useStore } from '../../store/store';
import { ConfirmButton } from '../settings/ConfirmButton';

const ROLES: UserRole[] = ['admin', 'member', 'guest'];

export function UsersTab() {
  const me = useStore((s) => s.data.me);
  const [query, setQuery] = useState('');
  const { data, error, reload } = useLoad(() => security.users(query.trim()), [query]);
  const [failure, setFailure] = useState<string | null>(null);
  const [resetLink, setResetLink] = useState<{ user: string; url: string; expiresAt: string } | null>(null);

  // Keep the rest of the app (names, roles) in step with what the admin just changed.
  const changed = (u: User) => {
    const s = getStore();
    if (s.data.users[u.id]) setStore({ data: { ...s.data, users: { ...s.data.users, [u.id]: u } } });
  };
  const act = async (what: () => Promise<unknown>, done: string) => {
    setFailure(null);
    try {
      const r = await what();
      if (r && typeof r === 'object' && 'username' in r) changed(r as User);
      toast(done);
    } catch (err) {
      setFailure(problem(err));
    }
    await reload();
  };

  return (
    <section className="admin__panel" aria-labelledby="admin-users-title">
      <h2 id="admin-users-title">Users</h2>
      <div className="admin__toolbar">
        <input type="search" placeholder="Find by name, username or email" aria-label="Find people" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {(error || failure) && <p className="form-error" role="alert">{failure ?? error}</p>}
      {resetLink && (
        <div className="token-once" role="region" aria-label="Password-reset link">
          <p>Send this single-use link to <strong>{resetLink.user}</strong>; it works until {new Date(resetLink.expiresAt).toLocaleString()}.</p>
          <div className="token-once__row">
            <input readOnly value={resetLink.url} aria-label="Reset link" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn" onClick={async () => { await navigator.clipboard.writeText(resetLink.url); toast('Link copied'); }}>Copy</button>
            <button type="button" className="btn" onClick={() => setResetLink(null)}>Done</button>
          </div>
        </div>
      )}
      <table className="admin__table">
        <thead><tr><th>Person</th><th>Email</th><th>Role</th><th>State</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {data?.users.map((u) => (
            <tr key={u.id} data-username={u.username} className={u.deactivated ? 'admin__row--off' : undefined}>
              <td><span className="admin__person"><Avatar user={u} size={24} /> <span><strong>{u.displayName}</strong> <span className="muted">@{u.username}</span></span></span></td>
              <td className="muted">{u.email ?? ''}</td>
              <td>
                <select aria-label={`Role of ${u.username}`} value={u.role} disabled={u.id === me}
                  onChange={(e) => act(() => security.updateUser(u.id, { role: e.target.value as UserRole }), `${u.username} is now ${e.target.value}`)}>
                  {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                </select>
              </td>
              <td>{u.deactivated ? <span className="pill pill--off">deactivated</span> : <span className="pill pill--ok">active</span>}</td>
              <td className="admin__actions">
                {u.id !== me && (u.deactivated
                  ? <button type="button" className="btn btn--small" onClick={() => act(() => security.updateUser(u.id, { deactivated: false }), `${u.username} reactivated`)}>Reactivate</button>
                  : <ConfirmButton label="Deactivate" confirmLabel="Deactivate" ariaLabel={`Deactivate ${u.username}`}
                    onConfirm={() => act(() => security.updateUser(u.id, { deactivated: true }), `${u.username} deactivated`)} />)}
                {u.id !== me && !u.deactivated && (
                  <ConfirmButton label="Sign out everywhere" confirmLabel="End all sessions" ariaLabel={`Sign out ${u.username} everywhere`}
                    onConfirm={() => act(() => security.revokeUserSessions(u.id), `${u.username} was signed out everywhere`)} />
                )}
                {!u.deactivated && (
                  <button type="button" className="btn btn--small" aria-label={`Password-reset link for ${u.username}`}
                    onClick={() => act(async () => setResetLink({ user: u.username, ...(await security.resetLink(u.id)) }), 'Reset link made')}>Reset link</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
