// The search box's suggestions (which filter values are offered for the word under the
// caret, and what choosing one does to the text) and the filters applied to file results.
import { describe, expect, it } from 'vitest';
import { fileFilter } from './fileFilter';
import { applySuggestion, freeText, searchSuggestions, wordAt, type SuggestContext } from './suggestions';

const ctx: SuggestContext = {
  me: 'u-me',
  now: new Date('2026-03-10T12:00:00Z'),
  users: [
    { id: 'u-me', username: 'ana', displayName: 'Ana Admin' },
    { id: 'u-ben', username: 'ben', displayName: 'Ben Builder' },
    { id: 'u-bea', username: 'bea', displayName: 'Beatrice Zhou' },
    { id: 'u-old', username: 'bernd', displayName: 'Bernd Gone', deactivated: true },
  ],
  channels: [
    { id: 'c-gen', name: 'general', kind: 'public' },
    { id: 'c-des', name: 'design', kind: 'public' },
    { id: 'c-lead', name: 'leadership', kind: 'private' },
    { id: 'c-dm', name: null, kind: 'dm' },
  ],
};
const labels = (text: string, caret = text.length) => searchSuggestions(text, caret, ctx).map((s) => s.label);

describe('search suggestions', () => {
  it('offers every filter in an empty box, and the matching ones for a partial filter name', () => {
    expect(labels('')).toEqual(['from:', 'in:', 'has:file', 'has:link', 'is:thread', 'before:', 'after:', 'on:']);
    expect(labels('deploy ha')).toEqual(['has:file', 'has:link']);
    expect(labels('deploy')).toEqual([]);
    expect(labels('"in the')).toEqual([]);
    expect(labels('-in')).toEqual([]);
  });

  it('from: suggests active people by username or any word of their name, and me', () => {
    expect(labels('from:')).toEqual(['from:me', 'from:@ana', 'from:@bea', 'from:@ben']);
    expect(labels('from:@be')).toEqual(['from:@bea', 'from:@ben']);
    expect(labels('from:zh')).toEqual(['from:@bea']);
    expect(labels('from:bernd')).toEqual([]);
  });

  it('in: suggests channels (not DMs by id), and people for in:@', () => {
    // Names starting with the text first, then names containing it.
    expect(labels('in:de')).toEqual(['in:#design', 'in:#leadership']);
    expect(labels('in:#lea')).toEqual(['in:#leadership']);
    expect(labels('in:e')).toEqual(['in:#design', 'in:#general', 'in:#leadership']);
    expect(labels('in:')).toEqual(['in:#design', 'in:#general', 'in:#leadership', 'in:@bea', 'in:@ben']);
    expect(labels('in:@b')).toEqual(['in:@bea', 'in:@ben']);
  });

  it('dates are UTC days relative to now; has: and is: complete their values', () => {
    expect(labels('before:')).toEqual(['before:2026-03-10', 'before:2026-03-09', 'before:2026-03-03', 'before:2026-02-08']);
    expect(labels('on:2026-03-0')).toEqual(['on:2026-03-09', 'on:2026-03-03']);
    expect(labels('has:l')).toEqual(['has:link']);
    expect(labels('is:')).toEqual(['is:thread']);
    expect(labels('has:link')).toEqual([]);
  });

  it('looks at the word under the caret, wherever the caret is', () => {
    expect(wordAt('a from:be c', 9)).toEqual({ start: 2, end: 9, word: 'from:be' });
    expect(labels('launch from:be notes', 14)).toEqual(['from:@bea', 'from:@ben']);
  });

  it('choosing replaces that word and puts the caret after it; a filter name keeps typing going', () => {
    const ben = searchSuggestions('launch from:be notes', 14, ctx).find((s) => s.label === 'from:@ben')!;
    expect(applySuggestion('launch from:be notes', 14, ben)).toEqual({ text: 'launch from:@ben notes', caret: 17 });
    const from = searchSuggestions('fr', 2, ctx)[0]!;
    expect(applySuggestion('fr', 2, from)).toEqual({ text: 'from:', caret: 5 });
    const link = searchSuggestions('x ha', 4, ctx).find((s) => s.label === 'has:link')!;
    expect(applySuggestion('x ha', 4, link)).toEqual({ text: 'x has:link ', caret: 11 });
  });

  it('free text drops filters, exclusions and quotes (what file names are matched against)', () => {
    expect(freeText('budget from:@ana in:#general "q3 plan" -draft has:file')).toBe('budget q3 plan');
    expect(freeText('from:me on:2026-03-01')).toBe('');
  });
});

describe('file results under message filters', () => {
  const lookup = { me: 'u-me', userIds: { ana: 'u-me', ben: 'u-ben' }, channelIds: { general: 'c-gen', design: 'c-des' } };
  const file = { userId: 'u-ben', channelId: 'c-gen', createdAt: '2026-03-05T10:00:00.000Z' };

  it('applies from:, in: and dates to the files themselves', () => {
    expect(fileFilter('plan', lookup)!(file)).toBe(true);
    expect(fileFilter('plan from:@ben in:#general has:file', lookup)!(file)).toBe(true);
    expect(fileFilter('plan from:me', lookup)!(file)).toBe(false);
    expect(fileFilter('plan in:#design', lookup)!(file)).toBe(false);
    expect(fileFilter('plan after:2026-03-04 before:2026-03-06', lookup)!(file)).toBe(true);
    expect(fileFilter('plan after:2026-03-05', lookup)!(file)).toBe(false);
    expect(fileFilter('plan on:2026-03-05', lookup)!(file)).toBe(true);
    expect(fileFilter('plan from:@nobody', lookup)!(file)).toBe(false);
  });

  it('lists no files for filters that only messages have', () => {
    expect(fileFilter('plan has:link', lookup)).toBeNull();
    expect(fileFilter('plan is:thread', lookup)).toBeNull();
    expect(fileFilter('plan in:@ben', lookup)).toBeNull();
  });
});
