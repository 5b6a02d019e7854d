import { sql, type Kysely } from 'kysely';

// The audit log and security alerts (issue 5). audit_log is append-only: a statement
// trigger refuses UPDATE, DELETE and TRUNCATE for every role, the application's included, so
// history can only be rewritten by someone who can also change the schema (DROP TRIGGER),
// which is a deliberate, visible act. No foreign keys: an entry must outlive what it names,
// and a cascading delete would itself be refused by the trigger.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_log (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      action text NOT NULL,
      actor_id uuid,
      actor_name text,
      ip text,
      user_agent text,
      target_type text,
      target_id text,
      detail jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_action_idx ON audit_log (action, id);
    CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
    CREATE INDEX audit_log_target_idx ON audit_log (target_id, id);
    CREATE INDEX audit_log_ip_idx ON audit_log (ip, id);
    CREATE INDEX audit_log_at_idx ON audit_log (at);

    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

    -- subject: what the alert is about (an account, an address, a session), for the debounce.
    CREATE TABLE security_alerts (
      id uuid PRIMARY KEY,
      at timestamptz NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      severity text NOT NULL,
      summary text NOT NULL,
      actor_id uuid,
      ip text,
      detail jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX security_alerts_subject_idx ON security_alerts (kind, subject, at);
  `.execute(db);
}
