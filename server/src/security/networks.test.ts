import { describe, expect, it } from 'vitest';
import { distant, networkOf } from './networks.js';

describe('distant addresses without geo-IP', () => {
  it('groups IPv4 by /16 and IPv6 by /48, IPv4-mapped IPv6 as IPv4', () => {
    expect(networkOf('10.1.2.3')).toBe('10.1.0.0/16');
    expect(networkOf('::ffff:10.1.9.9')).toBe('10.1.0.0/16');
    expect(networkOf('2001:db8:1::5')).toBe('2001:db8:1::/48');
    expect(networkOf('2001:0db8:0001:ffff::1')).toBe('2001:db8:1::/48');
    expect(networkOf('not an address')).toBeNull();
    expect(networkOf('1::2::3')).toBeNull();
  });

  it('calls two addresses distant only when their networks differ', () => {
    expect(distant('10.1.2.3', '10.1.200.1')).toBe(false);
    expect(distant('10.1.2.3', '10.2.0.1')).toBe(true);
    expect(distant('2001:db8:1::5', '2001:db8:1:ffff::1')).toBe(false);
    expect(distant('2001:db8:1::5', '2001:db8:2::1')).toBe(true);
    expect(distant('10.1.2.3', '2001:db8:1::5')).toBe(true);
    expect(distant('10.1.2.3', 'garbage')).toBe(false);
  });
});
