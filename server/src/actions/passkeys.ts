// Passkeys: registering one (a second factor, and passwordless sign-in), listing, deleting,
// and signing in with one alone. WebAuthn challenges are stored server-side, single-use.
import type { Passkey } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import {
  authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration,
  type AuthenticationResponseJSON, type RegistrationResponseJSON,
} from '../auth/webauthn.js';
import { presentPasskey } from '../presenters/identity.js';
import * as challenges from '../store/challenges.js';
import * as passkeys from '../store/passkeys.js';
import * as twoFactor from '../store/two-factor.js';
import * as users from '../store/users.js';
import { readSettings } from '../store/settings.js';
import type { SessionRow, UserRow } from '../store/schema.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { CHALLENGE_TTL_MS, completeFirstFactor, factorsOf, type LoginResult } from './login.js';
import { afterFactorAdded, checkCanRemoveFactor } from './two-factor.js';
import type { ClientInfo } from './sessions.js';
import { audit } from './audit.js';

const stored = (p: { credential_id: string; public_key: string; counter: number; transports: string[] }) =>
  ({ credentialId: p.credential_id, publicKey: p.public_key, counter: p.counter, transports: p.transports });

export async function listPasskeys(deps: Deps, me: UserRow): Promise<Passkey[]> {
  return (await passkeys.listPasskeys(deps.db, me.id)).map(presentPasskey);
}

/** Registration step one: options for navigator.credentials.create(), with a challenge to answer. */
export async function doPasskeyRegistrationOptions(deps: Deps, me: UserRow) {
  const existing = await passkeys.listPasskeys(deps.db, me.id);
  const rpName = (await readSettings(deps.db)).workspaceName;
  const options = await registrationOptions(deps.config, rpName, { id: me.id, username: me.username, displayName: me.display_name }, existing.map(stored));
  const row = await challenges.insertChallenge(deps.db, {
    id: newId(), kind: 'passkey_register', user_id: me.id, challenge: options.challenge, expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return { challengeId: row.id, options };
}

/** Registration step two: the authenticator's answer. The first second factor comes with recovery codes. */
export async function doRegisterPasskey(deps: Deps, me: UserRow, session: SessionRow,
  input: { challengeId: string; response: RegistrationResponseJSON; name?: string }, client: ClientInfo): Promise<{ passkey: Passkey; recoveryCodes: string[] | null }> {
  const ch = await challenges.takeChallenge(deps.db, 'passkey_register', input.challengeId, me.id);
  if (!ch?.challenge) throw new AppError(400, 'challenge_invalid', 'This registration has expired; start again.');
  const verified = await verifyRegistration(deps.config, input.response, ch.challenge);
  if (!verified) throw new AppError(400, 'passkey_invalid', 'The passkey could not be verified.');
  return transact(deps, async (tx, events) => {
    const count = await passkeys.countPasskeys(tx, me.id);
    const row = await passkeys.insertPasskey(tx, {
      id: newId(), user_id: me.id, credential_id: verified.credentialId, public_key: verified.publicKey, counter: verified.counter,
      transports: verified.transports, name: input.name?.trim() || `Passkey ${count + 1}`, device_type: verified.deviceType, backed_up: verified.backedUp,
    });
    const recoveryCodes = await afterFactorAdded(tx, me.id, session, false);
    await audit({ deps, tx, events, by: me, client }, 'auth.passkey_added', { type: 'passkey', id: row.id }, { name: row.name, deviceType: row.device_type });
    return { passkey: presentPasskey(row), recoveryCodes };
  }).catch((err) => {
    if (isUniqueViolation(err)) throw new AppError(409, 'already_exists', 'This passkey is already registered.');
    throw err;
  });
}

export async function doDeletePasskey(deps: Deps, me: UserRow, id: string, client: ClientInfo): Promise<void> {
  await transact(deps, async (tx, events) => {
    const factors = await factorsOf(tx, me.id);
    if (!(await passkeys.deletePasskey(tx, me.id, id))) throw notFound('Passkey');
    const remaining = { ...factors, passkeys: factors.passkeys - 1 };
    await checkCanRemoveFactor(deps, tx, me, remaining);
    if (!remaining.totp && remaining.passkeys === 0) await twoFactor.deleteRecoveryCodes(tx, me.id);
    await audit({ deps, tx, events, by: me, client }, 'auth.passkey_removed', { type: 'passkey', id }, { passkeysLeft: remaining.passkeys });
  });
}

/** Passwordless sign-in, step one: options for navigator.credentials.get() with any passkey of this site. */
export async function doPasskeyLoginOptions(deps: Deps) {
  const options = await authenticationOptions(deps.config, [], 'required');
  await challenges.deleteExpired(deps.db);
  const row = await challenges.insertChallenge(deps.db, {
    id: newId(), kind: 'passkey_login', challenge: options.challenge, expires_at: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return { challengeId: row.id, options };
}

/** Passwordless sign-in, step two: a user-verified passkey is both factors at once. */
export async function doPasskeyLogin(deps: Deps, input: { challengeId: string; response: AuthenticationResponseJSON }, client: ClientInfo): Promise<LoginResult> {
  const failed = () => new AppError(401, 'passkey_invalid', 'The passkey could not be verified; try again.');
  const ch = await challenges.takeChallenge(deps.db, 'passkey_login', input.challengeId, null);
  if (!ch?.challenge) throw new AppError(401, 'challenge_invalid', 'This sign-in has expired; start again.');
  const key = await passkeys.findPasskeyByCredential(deps.db, input.response.id);
  if (!key) throw failed();
  const counter = await verifyAuthentication(deps.config, input.response, ch.challenge, stored(key), true);
  if (counter === null) throw failed();
  await passkeys.markPasskeyUsed(deps.db, key.id, counter);
  const user = await users.findUserById(deps.db, key.user_id);
  if (!user) throw failed();
  return completeFirstFactor(deps, user, client, { strong: true, via: 'passkey' });
}
