// PARLEY_ADMIN_ALLOWLIST: the networks from which admin rights may be used. From anywhere
// else an admin's request carries member rights only (app.ts), the way a personal access
// token without the admin scope does, so every admin power (settings, roles, imports, other
// people's messages and private channels) is covered by the one check, with no list of routes.
import ipaddr from 'ipaddr.js';

export type Allowlist = (ip: string) => boolean;

/** Parses "10.0.0.0/8, 2001:db8::/32, 192.0.2.7" (a bare address is one host); throws a sentence on a bad entry. */
export function parseAllowlist(raw: string): Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> {
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    try {
      if (entry.includes('/')) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        return [normal(addr), addr.kind() === 'ipv6' && normal(addr).kind() === 'ipv4' ? bits - 96 : bits];
      }
      const addr = normal(ipaddr.parse(entry));
      return [addr, addr.kind() === 'ipv4' ? 32 : 128];
    } catch {
      throw new Error(`"${entry}" is not an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, 2001:db8::/32)`);
    }
  });
}

// An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; it is matched as a.b.c.d.
const normal = (a: ipaddr.IPv4 | ipaddr.IPv6) => (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a);

/** null when there is no list (admins may act from anywhere). */
export function makeAllowlist(raw: string | null): Allowlist | null {
  if (!raw?.trim()) return null;
  const ranges = parseAllowlist(raw);
  return (ip) => {
    if (!ipaddr.isValid(ip)) return false;
    const addr = normal(ipaddr.parse(ip));
    return ranges.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net as never, bits));
  };
}

/** The signed-in user as they may act from `ip`: outside the list an admin has member rights. */
export function restrictAdmin<T extends { user: { role: string } }>(found: T, ip: string, allowed: Allowlist | null): { auth: T; restricted: boolean } {
  if (!allowed || found.user.role !== 'admin' || allowed(ip)) return { auth: found, restricted: false };
  return { auth: { ...found, user: { ...found.user, role: 'member' } }, restricted: true };
}
