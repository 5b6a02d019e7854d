import { describe, expect, it } from 'vitest';
import { parseMentions } from './mentions.js';

describe('parseMentions', () => {
  it('finds usernames, case-insensitively, once each', () => {
    expect(parseMentions('hi @Bob and @alice, also @bob.').usernames.sort()).toEqual(['alice', 'bob']);
  });
  it('reads @channel, @everyone and @here as broadcasts', () => {
    expect(parseMentions('@here look').broadcast).toBe('here');
    expect(parseMentions('@channel look').broadcast).toBe('channel');
    expect(parseMentions('@everyone look').broadcast).toBe('channel');
    expect(parseMentions('@here and @channel').broadcast).toBe('channel');
    expect(parseMentions('no one').broadcast).toBeNull();
  });
  it('ignores code spans, fenced blocks, emails and paths', () => {
    const p = parseMentions('`@bob` ```\n@carol\n``` mail dave@example.com or /home/@erin');
    expect(p.usernames).toEqual([]);
  });
});
