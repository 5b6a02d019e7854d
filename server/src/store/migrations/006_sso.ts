import { sql, type Kysely } from 'kysely';

// Single sign-on: which external identity (provider + subject) is which user, the pending
// sign-ins (OIDC state with its PKCE verifier and nonce, SAML request ids), and the ids of
// SAML assertions already used, so a captured assertion cannot be replayed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sso_identities (
      provider text NOT NULL CHECK (provider IN ('oidc', 'saml', 'ldap')),
      subject text NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz,
      PRIMARY KEY (provider, subject)
    );
    CREATE INDEX sso_identities_user_idx ON sso_identities (user_id);

    -- key: the SHA-256 of the OIDC state, or the SAML AuthnRequest id.
    CREATE TABLE sso_requests (
      key text PRIMARY KEY,
      provider text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sso_requests_expires_idx ON sso_requests (expires_at);

    CREATE TABLE saml_assertions_seen (
      id text PRIMARY KEY,
      expires_at timestamptz NOT NULL
    );
  `.execute(db);
}
