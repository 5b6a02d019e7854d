// Stable error codes. Clients branch on these, never on messages, so a code never changes
// meaning once shipped.
export const ERROR_CODES = [
  'invalid_request', 'invalid_json', 'unsupported_media_type', 'payload_too_large', 'message_too_long',
  'unauthorized', 'invalid_credentials', 'account_deactivated', 'csrf_failed', 'forbidden', 'not_found',
  'username_taken', 'email_taken', 'channel_name_taken', 'invite_required', 'invite_invalid',
  'weak_password', 'channel_archived', 'channel_read_only', 'not_a_member', 'confirm_channel_mention',
  'cannot_leave_general', 'cannot_modify_dm', 'invalid_dm', 'client_id_conflict', 'already_exists',
  'rate_limited', 'internal_error', 'service_unavailable',
  'file_too_large', 'invalid_image', 'unsupported_file_type', 'file_not_attachable', 'range_not_satisfiable',
  'emoji_name_taken',
  // identity (issue 5)
  'insufficient_scope', 'session_required', 'enrolment_required', 'invalid_code', 'challenge_invalid',
  'two_factor_required', 'reset_token_invalid', 'email_disabled', 'passkey_invalid', 'guest_restricted',
  // search and link previews (issue 4)
  'search_query_invalid', 'search_query_empty', 'invalid_cursor',
  // single sign-on (issue 5)
  'sso_disabled', 'sso_failed', 'sso_unavailable', 'sso_email_unverified', 'password_login_disabled', 'saml_replayed',
  // imports (issue 6)
  'import_invalid',
  // hardening (issue 5): sign-in lockout, admin address allowlist
  'too_many_attempts', 'admin_address_not_allowed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
