// Message text as markdown, rendered inert: react-markdown builds React elements from a
// syntax tree (raw HTML in the text stays text), only an allow-list of elements survives,
// URLs pass react-markdown's protocol filter, and links open in a new tab without an opener.
import { memo, type ComponentProps, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { emojiChar, useEmojiReady } from '../emoji/emoji';
import { CustomEmojiImage } from '../components/emoji/EmojiGlyph';
import { useCustomEmojiNamed } from '../store/customEmoji';
import { channelPath, onLinkClick } from '../lib/router';
import { useStore } from '../store/store';
import { CodeBlock } from './CodeBlock';
import { isJumbo, remarkParley } from './remarkParley';

const ALLOWED = [
  'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input', 'img',
  'parley-mention', 'parley-channel', 'parley-emoji',
];

const text = (children: ReactNode): string => (Array.isArray(children) ? children.join('') : String(children ?? ''));

function Mention({ children }: { children?: ReactNode }) {
  const raw = text(children);
  const name = raw.slice(1).toLowerCase();
  const me = useStore((s) => s.data.users[s.data.me]);
  const user = useStore((s) => (name === 'channel' || name === 'here' ? null : Object.values(s.data.users).find((u) => u.username.toLowerCase() === name)));
  if (name === 'channel' || name === 'here' || name === 'everyone') return <span className="mention mention--me">{raw}</span>;
  if (!user) return <>{raw}</>;
  return <span className={user.id === me?.id ? 'mention mention--me' : 'mention'} title={user.displayName}>@{user.displayName || user.username}</span>;
}

function ChannelRef({ children }: { children?: ReactNode }) {
  const raw = text(children);
  const c = useStore((s) => Object.values(s.data.channels).find((x) => x.name === raw.slice(1)));
  if (!c) return <>{raw}</>;
  const to = channelPath(c.id);
  return <a className="mention mention--channel" href={to} onClick={(e) => onLinkClick(e, to)}>{raw}</a>;
}

function Emoji({ children }: { children?: ReactNode }) {
  const raw = text(children);
  const custom = useCustomEmojiNamed(raw.slice(1, -1));
  if (custom) return <CustomEmojiImage name={custom.name} url={custom.url} className="emoji" />;
  const ch = emojiChar(raw.slice(1, -1));
  return ch ? <span className="emoji" title={raw} role="img" aria-label={raw}>{ch}</span> : <>{raw}</>;
}

function Link({ href, children }: ComponentProps<'a'>) {
  if (!href) return <>{children}</>;
  return <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>;
}

/** Images are not loaded from wherever a message points; they become links. */
function Image({ src, alt }: ComponentProps<'img'>) {
  if (!src || typeof src !== 'string') return <>{alt}</>;
  return <a href={src} target="_blank" rel="noopener noreferrer nofollow">{alt || src}</a>;
}

function Pre({ children }: ComponentProps<'pre'>) {
  const child = (Array.isArray(children) ? children[0] : children) as { props?: { className?: string; children?: ReactNode } } | undefined;
  const lang = /language-([\w+-]+)/.exec(child?.props?.className ?? '')?.[1] ?? null;
  const code = text(child?.props?.children).replace(/\n$/, '');
  return <CodeBlock code={code} lang={lang} />;
}

const components = {
  a: Link, img: Image, pre: Pre,
  'parley-mention': Mention, 'parley-channel': ChannelRef, 'parley-emoji': Emoji,
  input: (p: ComponentProps<'input'>) => <input type="checkbox" checked={!!p.checked} disabled readOnly />,
} as unknown as Components;

const remarkPlugins = [remarkGfm, remarkParley];

export const Markdown = memo(function Markdown({ text: source }: { text: string }) {
  useEmojiReady();
  return (
    <div className={isJumbo(source) ? 'md md--jumbo' : 'md'}>
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components} allowedElements={ALLOWED} unwrapDisallowed>
        {source}
      </ReactMarkdown>
    </div>
  );
});
