// Which IP addresses the link-preview fetcher may connect to: public unicast only. Loopback,
// private, carrier-grade NAT, link-local (169.254.169.254 is the cloud metadata service),
// multicast, reserved and documentation ranges are refused, in IPv4 and IPv6, including IPv4
// written as IPv6 (::ffff:10.0.0.1) and NAT64/6to4/Teredo forms that can smuggle one in.
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const FORBIDDEN = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['64:ff9b::', 96], ['64:ff9b:1::', 48], // NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF special purpose, Teredo (2001::/32) included
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local (fd00:ec2::254 is a metadata service)
  ['fe80::', 10], ['fec0::', 10], // link-local, old site-local
  ['ff00::', 8], // multicast
] as const) FORBIDDEN.addSubnet(prefix, bits, 'ipv6');

/** Why the address may not be fetched, or null when it may. `ip` must be a literal address. */
export function refuseAddress(ip: string, opts: { allowLoopback: boolean }): string | null {
  const family = net.isIP(ip);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  try {
    // BlockList matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 rules too.
    if (LOOPBACK.check(ip, type)) return opts.allowLoopback ? null : 'loopback address';
    if (FORBIDDEN.check(ip, type)) return 'private or reserved address';
  } catch {
    return 'unusual address form'; // e.g. an IPv6 zone index (fe80::1%eth0)
  }
  return null;
}
