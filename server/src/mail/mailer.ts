// Outgoing email (password-reset links) over SMTP with nodemailer. Actions see only the
// Mailer interface; without PARLEY_SMTP_URL there is no mailer and email features say so.
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function smtpMailer(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>, log: Logger): Mailer | null {
  if (!config.smtpUrl) return null;
  // Loaded only when SMTP is configured, so a server without email does not carry it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport(config.smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from: config.smtpFrom, to: mail.to, subject: mail.subject, text: mail.text });
      log.info({ subject: mail.subject }, 'mail sent');
    },
    close: () => transport.close(),
  };
}
