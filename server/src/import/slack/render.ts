// Attachments (legacy) and Block Kit blocks as readable text, for messages whose content is
// there rather than in `text` (bots, integrations, shared messages). Unknown shapes give what
// text they have; nothing here throws on odd input.
type Json = Record<string, any>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function textObject(t: unknown): string {
  return isObj(t) ? str(t.text) : str(t);
}

function richElements(elements: unknown): string {
  if (!Array.isArray(elements)) return '';
  return elements.map((e) => {
    if (!isObj(e)) return '';
    switch (e.type) {
      case 'text': return str(e.text);
      case 'link': return e.text ? `<${str(e.url)}|${str(e.text)}>` : `<${str(e.url)}>`;
      case 'user': return `<@${str(e.user_id)}>`;
      case 'channel': return `<#${str(e.channel_id)}>`;
      case 'broadcast': return `<!${str(e.range)}>`;
      case 'emoji': return `:${str(e.name)}:`;
      case 'usergroup': return '@group';
      case 'rich_text_section': case 'rich_text_preformatted': case 'rich_text_quote':
        return richElements(e.elements);
      case 'rich_text_list': return (e.elements as unknown[] ?? []).map((x) => `• ${richElements(isObj(x) ? x.elements : [])}`).join('\n');
      default: return str(e.text);
    }
  }).join('');
}

/** Blocks as mrkdwn-ish text (it goes through the same markup conversion as `text`). */
export function renderBlocks(blocks: unknown): string {
  if (!Array.isArray(blocks)) return '';
  const lines: string[] = [];
  for (const b of blocks) {
    if (!isObj(b)) continue;
    switch (b.type) {
      case 'rich_text': lines.push(richElements(b.elements)); break;
      case 'section': case 'header':
        if (b.text) lines.push(textObject(b.text));
        if (Array.isArray(b.fields)) lines.push(...b.fields.map(textObject));
        break;
      case 'context': lines.push((Array.isArray(b.elements) ? b.elements : []).map(textObject).filter(Boolean).join(' ')); break;
      case 'image': lines.push([textObject(b.title), str(b.image_url) && `<${str(b.image_url)}>`].filter(Boolean).join(' ')); break;
      case 'divider': lines.push('---'); break;
      default: if (b.text) lines.push(textObject(b.text));
    }
  }
  return lines.filter((l) => l.trim()).join('\n');
}

/** Legacy attachments: pretext, author, linked title, text, fields, footer; fallback last. */
export function renderAttachments(attachments: unknown): string {
  if (!Array.isArray(attachments)) return '';
  const parts: string[] = [];
  for (const a of attachments) {
    if (!isObj(a)) continue;
    const lines: string[] = [];
    if (a.pretext) lines.push(str(a.pretext));
    if (a.author_name) lines.push(str(a.author_name));
    if (a.title) lines.push(a.title_link ? `<${str(a.title_link)}|${str(a.title)}>` : `*${str(a.title)}*`);
    const blocks = renderBlocks(a.blocks);
    if (a.text) lines.push(str(a.text));
    else if (blocks) lines.push(blocks);
    if (Array.isArray(a.fields)) {
      for (const f of a.fields) if (isObj(f)) lines.push(f.title ? `*${str(f.title)}*: ${str(f.value)}` : str(f.value));
    }
    if (a.image_url) lines.push(`<${str(a.image_url)}>`);
    if (a.footer) lines.push(str(a.footer));
    if (lines.length === 0 && a.fallback) lines.push(str(a.fallback));
    if (lines.length === 0 && a.from_url) lines.push(`<${str(a.from_url)}>`);
    const text = lines.filter((l) => l.trim()).join('\n');
    if (text) parts.push(text.split('\n').map((l) => `> ${l}`).join('\n'));
  }
  return parts.join('\n\n');
}

/** An attachment that only previews a link already in the text (Parley makes its own previews). */
export function isUnfurl(a: unknown): boolean {
  return isObj(a) && (typeof a.from_url === 'string' || a.is_app_unfurl === true) && !a.is_msg_unfurl;
}
