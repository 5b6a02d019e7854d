// PARLEY_TLS_*: Parley serving HTTPS itself, TLS 1.3 only unless TLS 1.2 is allowed.
import fs from 'node:fs';
import type { ServerOptions } from 'node:https';
import type { TlsConfig } from './hardening-config.js';

export function httpsOptions(tls: TlsConfig): ServerOptions {
  return {
    cert: fs.readFileSync(tls.certFile),
    key: fs.readFileSync(tls.keyFile),
    minVersion: tls.minVersion,
  };
}
