// Checks on values that JSON schema alone cannot express well.
import { AppError } from '../errors.js';

export const USERNAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,31}$/;
export const CHANNEL_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,79}$/;
/** Emoji by shortcode, optionally with a skin tone: `thumbsup`, `+1`, `wave::skin-tone-3`. */
export const EMOJI_RE = /^[a-z0-9_+-]{1,64}(::skin-tone-[2-6])?$/;

export function checkUsername(username: string): void {
  if (!USERNAME_RE.test(username) || /[._-]$/.test(username)) {
    throw new AppError(400, 'invalid_request',
      'Usernames are 2–32 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit.');
  }
  if (['channel', 'here', 'everyone', 'all'].includes(username.toLowerCase())) {
    throw new AppError(400, 'invalid_request', `"${username}" is reserved for mentions.`);
  }
}

export function checkChannelName(name: string): void {
  if (!CHANNEL_NAME_RE.test(name)) {
    throw new AppError(400, 'invalid_request',
      'Channel names are 1–80 lowercase letters, digits, dashes or underscores, starting with a letter or digit.');
  }
}

export function checkEmoji(emoji: string): void {
  if (!EMOJI_RE.test(emoji)) throw new AppError(400, 'invalid_request', 'An emoji is given by its shortcode, like "thumbsup".');
}

/** `allowEmpty`: a message that carries files needs no text. */
export function checkText(text: string, max: number, opts: { allowEmpty?: boolean } = {}): void {
  if (text.trim().length === 0 && !opts.allowEmpty) throw new AppError(400, 'invalid_request', 'A message needs some text.');
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
  if (text.includes('\u0000')) throw new AppError(400, 'invalid_request', 'A message cannot contain NUL characters.');
  if (text.length > max) {
    throw new AppError(413, 'message_too_long', `Messages can be at most ${max} characters; this one has ${text.length}.`);
  }
}
