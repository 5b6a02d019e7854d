// A throwaway OpenLDAP server for the LDAP tests: its own slapd.conf and mdb database under a
// temp dir, seeded offline with slapadd from an LDIF, listening on a free 127.0.0.1 port, and
// stopped (and removed) afterwards. Needs Debian's slapd (see .ci/run).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './sso-helpers.js';

export const SUFFIX = 'dc=parley,dc=test';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PW = 'root-secret';
/** The service account Parley binds as to search the directory. */
export const SERVICE_DN = `cn=svc,${SUFFIX}`;
export const SERVICE_PW = 'service-bind-secret-42';

/** The organisation, its service account and these organizational units; people and groups go after it. */
export function directoryBase(units: readonly string[]): string {
  return `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
dc: parley
o: Parley Test

dn: ${SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: svc
userPassword: ${SERVICE_PW}
${units.map((ou) => `
dn: ou=${ou},${SUFFIX}
objectClass: organizationalUnit
ou: ${ou}
`).join('')}`;
}

/** Debian installs slapd under /usr/sbin, which is not on every PATH. */
const bin = (name: string) => (existsSync(`/usr/sbin/${name}`) ? `/usr/sbin/${name}` : name);

export interface Slapd {
  url: string;
  stop(): Promise<void>;
}

export async function startSlapd(ldif: string): Promise<Slapd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-slapd-'));
  mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  writeFileSync(conf, [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${dir}/slapd.pid`,
    `argsfile ${dir}/slapd.args`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    'maxsize 10485760',
    `suffix "${SUFFIX}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${ROOT_PW}`,
    `directory ${dir}/db`,
    'access to attrs=userPassword by self write by anonymous auth by * none',
    `access to * by dn.exact="cn=svc,${SUFFIX}" read by self read by * none`,
    '',
  ].join('\n'));
  const seed = path.join(dir, 'seed.ldif');
  writeFileSync(seed, ldif);
  const add = spawnSync(bin('slapadd'), ['-f', conf, '-l', seed], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(bin('slapd'), ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`slapd exited: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`slapd did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
