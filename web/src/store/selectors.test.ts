// Avatar initials: what people see when they have no picture.
import type { User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { initials } from './selectors';

const person = (displayName: string) => ({ id: 'u', username: 'someone', displayName }) as unknown as User;

describe('initials', () => {
  it('takes the first letters of the first and last names', () => {
    expect(initials(person('Ana María Admin'))).toBe('AA');
    expect(initials(person('ben'))).toBe('BE');
  });
  it('never cuts an emoji or an accented letter in half', () => {
    expect(initials(person('Zoë 🦄'))).toBe('Z🦄');
    expect(initials(person('É\u0301mile Zola'))).toBe('É\u0301Z');
    expect(initials(person('🦄'))).toBe('🦄');
    expect(initials(person('👩‍👩‍👧 Family'))).toBe('👩‍👩‍👧F');
  });
});
