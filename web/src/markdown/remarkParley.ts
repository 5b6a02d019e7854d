// A remark plugin for chat text: a line break is a line break, and `@name`, `#channel` and
// `:emoji:` become nodes the renderer turns into mentions, channel links and emoji. It works
// on the syntax tree, so nothing inside code or link labels is touched and nothing user-made
// ever becomes HTML.
import type { Root, PhrasingContent } from 'mdast';
import { findAndReplace } from 'mdast-util-find-and-replace';

function custom(hName: string, value: string): PhrasingContent {
  // Unknown node types with data.hName become that element in the HTML tree, text inside.
  return { type: 'parleyToken', data: { hName, hChildren: [{ type: 'text', value }] }, children: [] } as unknown as PhrasingContent;
}

const MENTION = /(?<![\w@.])@([a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]|[a-zA-Z0-9]{1,2})/g;
const CHANNEL = /(?<![\w#&/])#([a-z0-9][a-z0-9_-]{0,79})/g;
const EMOJI = /:([a-z0-9_+-]{1,64}(?:::skin-tone-[2-6])?):/g;

export function remarkParley() {
  return (tree: Root) => {
    findAndReplace(tree, [
      [/\r?\n|\r/g, () => ({ type: 'break' })],
      [MENTION, (all: string) => custom('parley-mention', all)],
      [CHANNEL, (all: string) => custom('parley-channel', all)],
      [EMOJI, (all: string) => custom('parley-emoji', all)],
    ], { ignore: ['link', 'linkReference', 'inlineCode', 'code'] });
  };
}

/** 1 to 6 emoji and nothing else: shown large, as chat apps do. */
const JUMBO = /^(?:\s*(?::[a-z0-9_+-]{1,64}(?:::skin-tone-[2-6])?:|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)){1,6}\s*$/u;
export const isJumbo = (text: string) => JUMBO.test(text);
