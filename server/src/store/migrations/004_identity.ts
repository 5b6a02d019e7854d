import { sql, type Kysely } from 'kysely';

// Identity: guests, personal access tokens and two-factor state on sessions, TOTP, recovery
// codes, passkeys, short-lived auth challenges and password-reset links. Every secret a
// client presents (token, recovery code, reset link) is stored only as its SHA-256; the TOTP
// secret, which the server must read back, is stored sealed (auth/secretbox.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
    ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'member', 'guest'));

    ALTER TABLE invites ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'guest'));

    -- A row is either a signed-in device ('session') or a personal access token ('token').
    ALTER TABLE sessions ADD COLUMN kind text NOT NULL DEFAULT 'session' CHECK (kind IN ('session', 'token'));
    ALTER TABLE sessions ADD COLUMN name text NOT NULL DEFAULT '';
    ALTER TABLE sessions ADD COLUMN scopes text[] NOT NULL DEFAULT '{}';
    -- 'enrol_2fa': signed in while two-factor enrolment is overdue; only enrolment works until done.
    ALTER TABLE sessions ADD COLUMN stage text NOT NULL DEFAULT 'full' CHECK (stage IN ('full', 'enrol_2fa'));
    CREATE INDEX sessions_user_kind_idx ON sessions (user_id, kind);

    CREATE TABLE totp_credentials (
      user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      secret_sealed text NOT NULL,
      confirmed_at timestamptz,
      -- The last 30-second step a code was accepted for: a code is never accepted twice.
      last_used_step bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE recovery_codes (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

    CREATE TABLE passkeys (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      credential_id text NOT NULL UNIQUE,
      public_key text NOT NULL,
      counter bigint NOT NULL DEFAULT 0,
      transports text[] NOT NULL DEFAULT '{}',
      name text NOT NULL,
      device_type text NOT NULL,
      backed_up boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz
    );
    CREATE INDEX passkeys_user_idx ON passkeys (user_id);

    -- Short-lived, single-use steps of a sign-in or an enrolment: a password accepted and waiting
    -- for the second factor, or a WebAuthn challenge waiting for the authenticator's answer.
    CREATE TABLE auth_challenges (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('second_factor', 'passkey_register', 'passkey_login')),
      token_hash text UNIQUE,
      user_id uuid REFERENCES users (id) ON DELETE CASCADE,
      challenge text,
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX auth_challenges_expires_idx ON auth_challenges (expires_at);

    CREATE TABLE password_resets (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX password_resets_user_idx ON password_resets (user_id);
  `.execute(db);
}
