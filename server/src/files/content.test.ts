import { describe, expect, it } from 'vitest';
import { contentDisposition, isInline, parseRange } from './content.js';
import { cleanName } from './intake.js';

describe('content-disposition', () => {
  it('quotes an ASCII fallback and encodes the UTF-8 name', () => {
    expect(contentDisposition('a "b"\\c.txt', false)).toBe(`attachment; filename="a _b__c.txt"; filename*=UTF-8''a%20%22b%22%5Cc.txt`);
    expect(contentDisposition('фото.jpg', true)).toBe(`inline; filename="____.jpg"; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.jpg`);
  });
  it('cleans names: no path, no control characters, never empty', () => {
    expect(cleanName('C:\\Users\\me\\secret.txt')).toBe('secret.txt');
    expect(cleanName('../../x\r\n.txt')).toBe('x.txt');
    expect(cleanName('   ')).toBe('file');
    expect(cleanName(undefined)).toBe('file');
    expect(cleanName('a'.repeat(300))).toHaveLength(255);
  });
  it('shows only media inline', () => {
    expect(isInline('image/png')).toBe(true);
    expect(isInline('application/pdf')).toBe(true);
    expect(isInline('text/html')).toBe(false);
    expect(isInline('image/svg+xml')).toBe(false);
    expect(isInline('application/octet-stream')).toBe(false);
  });
});

describe('range', () => {
  it('parses single byte ranges and refuses what lies past the end', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=0-4', 10)).toEqual({ start: 0, end: 4 });
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=8-100', 10)).toEqual({ start: 8, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
    expect(parseRange('bytes=-', 10)).toBeNull();
  });
});
