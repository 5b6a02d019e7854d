// Compares two V8 heap snapshots: which kinds of objects grew, by count and bytes (self
// size). Enough to say what a thousand connections are made of.
import fs from 'node:fs';

interface Tally {
  count: number;
  bytes: number;
}

function tally(file: string): Map<string, Tally> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const strings: string[] = snap.strings;
  const nodes: number[] = snap.nodes;
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const out = new Map<string, Tally>();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]!]!;
    let name = type === 'object' || type === 'closure' || type === 'native' ? strings[nodes[i + iName]!]! : `(${type})`;
    if (type === 'closure') name = `closure ${name || '(anonymous)'}`;
    if (name.length > 60) name = name.slice(0, 57) + '...';
    const t = out.get(name) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += nodes[i + iSize]!;
    out.set(name, t);
  }
  return out;
}

/** The `top` kinds of object that grew most in bytes from `before` to `after`, per `per` units (connections). */
export function heapDiff(before: string, after: string, per: number, top = 25): string {
  const a = tally(before);
  const b = tally(after);
  const rows: Array<[string, number, number]> = [];
  let total = 0;
  for (const [name, t] of b) {
    const prev = a.get(name) ?? { count: 0, bytes: 0 };
    const dBytes = t.bytes - prev.bytes;
    total += dBytes;
    rows.push([name, t.count - prev.count, dBytes]);
  }
  rows.sort((x, y) => y[2] - x[2]);
  return [
    `  heap growth: ${(total / 1048576).toFixed(1)} MB in all, ${(total / per / 1024).toFixed(1)} KB per connection; largest (self size):`,
    ...rows.slice(0, top).map(([name, dc, db]) =>
      `    ${(db / 1048576).toFixed(2).padStart(7)} MB  ${(dc / per).toFixed(1).padStart(7)} per conn  ${name}`),
  ].join('\n');
}
