import { describe, expect, it } from 'vitest';
import { convertMarkup } from './markup.js';
import { renderAttachments, renderBlocks } from './render.js';

const ctx = {
  user: (id: string) => (id === 'U1' ? { username: 'ann', id: 'uuid-ann' } : null),
  channel: (id: string) => (id === 'C1' ? 'dev' : null),
};
const conv = (s: string) => convertMarkup(s, ctx);

describe('slack markup', () => {
  it('mentions, channels, broadcasts', () => {
    expect(conv('hi <@U1> and <@U2|ghost>')).toEqual({ text: 'hi @ann and @ghost', userIds: ['uuid-ann'], broadcast: null });
    expect(conv('<#C1> <#C9|other> <#C8>').text).toBe('#dev #other #C8');
    expect(conv('<!here> x').broadcast).toBe('here');
    expect(conv('<!everyone>')).toMatchObject({ text: '@channel', broadcast: 'channel' });
    expect(conv('<!channel> <!here>').broadcast).toBe('channel');
    expect(conv('<!subteam^S1|@devs> <!date^1392734382^{date}|Feb 18>').text).toBe('@devs Feb 18');
  });
  it('links and entities', () => {
    expect(conv('<https://a.example/x_y_z>').text).toBe('https://a.example/x_y_z');
    expect(conv('<https://a.example/?a=1&amp;b=2|A &amp; B>').text).toBe('[A & B](https://a.example/?a=1&b=2)');
    expect(conv('<mailto:a@b.example|a@b.example>').text).toBe('a@b.example');
    expect(conv('1 &lt; 2 &amp;&amp; 3 &gt; 2').text).toBe('1 < 2 && 3 > 2');
    expect(conv('&amp;lt;').text).toBe('&lt;');
    expect(conv('&gt; quoted').text).toBe('> quoted');
  });
  it('emphasis, but not inside code or words', () => {
    expect(conv('*bold* _it_ ~st~').text).toBe('**bold** *it* ~~st~~');
    expect(conv('*_both_*').text).toBe('***both***');
    expect(conv('snake_case_name and 2*3*4').text).toBe('snake_case_name and 2*3*4');
    expect(conv('`*not bold* <@U1>` ```\n_x_ &lt;\n```').text).toBe('`*not bold* @U1` ```\n_x_ <\n```');
  });
  it('renders attachments and blocks', () => {
    expect(renderBlocks([{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi ' }, { type: 'user', user_id: 'U1' }] }] }]))
      .toBe('hi <@U1>');
    expect(renderAttachments([{ fallback: 'only fallback' }])).toBe('> only fallback');
    expect(renderAttachments([{ title: 'T', text: 'body', fields: [{ title: 'k', value: 'v' }] }])).toBe('> *T*\n> body\n> *k*: v');
  });
});
