// Syntax highlighting (a lazy chunk): lowlight (highlight.js grammars) makes a syntax tree,
// rendered as React elements, so the code stays text and no HTML string is ever injected.
import { Fragment, useMemo } from 'react';
import { jsx, jsxs } from 'react/jsx-runtime';
import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { createLowlight } from 'lowlight';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const lowlight = createLowlight({ bash, c, cpp, css, diff, go, java, javascript, json, python, rust, sql, typescript, xml, yaml });
lowlight.registerAlias({ bash: ['sh', 'shell', 'zsh'], javascript: ['js', 'jsx'], typescript: ['ts', 'tsx'], xml: ['html', 'svg'], yaml: ['yml'], python: ['py'], rust: ['rs'], cpp: ['c++'] });

export default function Highlighted({ code, lang }: { code: string; lang: string | null }) {
  const tree = useMemo(() => {
    try {
      if (lang && lowlight.registered(lang)) return lowlight.highlight(lang, code);
      if (!lang && code.length < 20_000) return lowlight.highlightAuto(code);
    } catch {
      /* fall back to plain text */
    }
    return null;
  }, [code, lang]);
  if (!tree) return <code>{code}</code>;
  return <code className="hljs">{toJsxRuntime(tree, { Fragment, jsx, jsxs })}</code>;
}
