// Cookie names for the web client's session. The session cookie is httpOnly; the CSRF
// cookie is readable by the page, which echoes it in the x-csrf-token header.
export const SESSION_COOKIE = 'parley_session';
export const CSRF_COOKIE = 'parley_csrf';
export const CSRF_HEADER = 'x-csrf-token';
