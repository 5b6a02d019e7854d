// "Distant" addresses without a geo-IP database (which would mean a remote download): two
// addresses are distant when they are in different networks, /16 for IPv4 and /48 for IPv6,
// the usual size of one organisation's or one provider's allocation. A phone moving between
// Wi-Fi and mobile data therefore counts as distant; that is the signal we want to look at.
import { isIPv4, isIPv6 } from 'node:net';

function expandIPv6(ip: string): string[] | null {
  const [head, tail, ...rest] = ip.split('::');
  if (rest.length) return null;
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (tail === undefined && left.length !== 8) return null;
  return [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
}

/** The /16 (IPv4) or /48 (IPv6) an address belongs to, or null when it is not an address. */
export function networkOf(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '').split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const v4 = mapped ? mapped[1]! : bare;
  if (isIPv4(v4)) return v4.split('.').slice(0, 2).join('.') + '.0.0/16';
  if (!isIPv6(bare)) return null;
  const groups = expandIPv6(bare.toLowerCase());
  if (!groups) return null;
  return groups.slice(0, 3).map((g) => Number.parseInt(g, 16).toString(16)).join(':') + '::/48';
}

export function distant(a: string, b: string): boolean {
  const na = networkOf(a);
  const nb = networkOf(b);
  return na !== null && nb !== null && na !== nb;
}
