// One emoji by shortcode, wherever it is shown (reactions, text, pickers): the workspace's own
// image for a custom name, the Unicode character for a standard one, else the shortcode itself.
import { emojiChar, useEmojiReady } from '../../emoji/emoji';
import { useCustomEmojiNamed } from '../../store/customEmoji';

export function CustomEmojiImage({ name, url, className }: { name: string; url: string; className?: string }) {
  return <img className={className ? `emoji-img ${className}` : 'emoji-img'} src={url} alt={`:${name}:`} title={`:${name}:`} draggable={false} />;
}

export function EmojiGlyph({ name, fallback }: { name: string; fallback?: React.ReactNode }) {
  useEmojiReady();
  const custom = useCustomEmojiNamed(name);
  if (custom) return <CustomEmojiImage name={custom.name} url={custom.url} />;
  return <>{emojiChar(name) ?? fallback ?? `:${name}:`}</>;
}
