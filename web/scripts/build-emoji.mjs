// Builds the emoji table the client lazy-loads: Slack-compatible shortcodes (iamcal's
// emoji-datasource, the set Slack uses) to characters, with category and search names.
// Output: [char, "short names separated by spaces", categoryIndex, "name"] in picker order.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const source = require('emoji-datasource/emoji.json');
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/emoji/data.gen.json');

const CATEGORIES = ['Smileys & Emotion', 'People & Body', 'Animals & Nature', 'Food & Drink', 'Travel & Places',
  'Activities', 'Objects', 'Symbols', 'Flags'];
const toChar = (unified) => String.fromCodePoint(...unified.split('-').map((h) => parseInt(h, 16)));

const rows = source
  .filter((e) => CATEGORIES.includes(e.category) && e.short_names?.length)
  .sort((a, b) => a.sort_order - b.sort_order)
  .map((e) => [toChar(e.unified), e.short_names.join(' '), CATEGORIES.indexOf(e.category), (e.name ?? '').toLowerCase()]);

const json = JSON.stringify({ categories: CATEGORIES, emoji: rows });
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== json) fs.writeFileSync(out, json);
console.log(`emoji table: ${rows.length} emoji`);
