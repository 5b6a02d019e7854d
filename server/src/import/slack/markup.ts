// Slack mrkdwn to Parley markdown. Slack escapes only &, < and >; everything between < and >
// is a control sequence: <@U123> a user, <#C123|name> a channel, <!here> a broadcast,
// <https://x|label> a link. Code spans and blocks keep their characters (only the entities are
// decoded). Emphasis differs: Slack's *bold* _italic_ ~strike~ are **bold** *italic* ~~strike~~.

export interface MarkupContext {
  /** Parley username and id of a Slack user id, or null when unknown. */
  user(slackId: string): { username: string; id: string } | null;
  /** Parley channel name of a Slack channel id, or null. */
  channel(slackId: string): string | null;
}

export interface Converted {
  text: string;
  /** Parley user ids mentioned. */
  userIds: string[];
  broadcast: 'channel' | 'here' | null;
}

const CODE = /```[\s\S]*?```|`[^`\n]+`/g;
const TOKEN = /<([^<>\n]+)>/g;

export function unescapeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function convertMarkup(source: string, ctx: MarkupContext): Converted {
  // eslint-disable-next-line no-control-regex
  const src = source.replace(/\u0000/g, '');
  const userIds = new Set<string>();
  let broadcast: Converted['broadcast'] = null;
  const out: string[] = [];
  let last = 0;
  for (const m of src.matchAll(CODE)) {
    out.push(plain(src.slice(last, m.index)));
    out.push(unescapeEntities(m[0].replace(TOKEN, (_t, inner: string) => inner.split('|')[0]!)));
    last = m.index! + m[0].length;
  }
  out.push(plain(src.slice(last)));
  return { text: out.join(''), userIds: [...userIds], broadcast };

  function plain(s: string): string {
    const kept: string[] = [];
    const hold = (v: string) => `\u0000${kept.push(v) - 1}\u0000`;
    let t = s.replace(TOKEN, (_all, inner: string) => hold(token(inner)));
    t = t
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1**$2**')
      .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, '$1*$2*')
      .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, '$1~~$2~~');
    t = unescapeEntities(t);
    // eslint-disable-next-line no-control-regex
    return t.replace(/\u0000(\d+)\u0000/g, (_x, i: string) => kept[Number(i)]!);
  }

  function token(inner: string): string {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? '' : unescapeEntities(inner.slice(bar + 1));
    if (target.startsWith('@')) {
      const u = ctx.user(target.slice(1));
      if (u) {
        userIds.add(u.id);
        return `@${u.username}`;
      }
      return label ? `@${label.replace(/^@/, '')}` : `@${target.slice(1)}`;
    }
    if (target.startsWith('#')) {
      const name = ctx.channel(target.slice(1)) ?? (label || target.slice(1));
      return `#${name}`;
    }
    if (target.startsWith('!')) {
      const cmd = target.slice(1);
      if (cmd === 'here') return (broadcast ??= 'here', '@here');
      if (cmd === 'channel' || cmd === 'everyone' || cmd === 'group') return (broadcast = 'channel', '@channel');
      if (cmd.startsWith('subteam^')) return label || '@group';
      // <!date^...|fallback> and anything else: the fallback text Slack shows.
      return label || cmd;
    }
    const url = unescapeEntities(target);
    if (!label || label === url || `mailto:${label}` === url) return url.startsWith('mailto:') ? url.slice(7) : url;
    return `[${label.replace(/([[\]])/g, '\\$1')}](${url.replace(/\)/g, '%29').replace(/ /g, '%20')})`;
  }
}
