// Fenced code: plain at once, highlighted when the highlighter chunk has loaded.
import { Suspense, lazy } from 'react';
import { Icon } from '../components/Icon';
import { toast } from '../store/store';

const Highlighted = lazy(() => import('./Highlighted'));

export function CodeBlock({ code, lang }: { code: string; lang: string | null }) {
  return (
    <div className="codeblock">
      <button type="button" className="codeblock__copy" aria-label="Copy code" title="Copy code"
        onClick={() => void navigator.clipboard?.writeText(code).then(() => toast('Code copied'), () => {})}>
        <Icon name="copy" size={14} />
      </button>
      <pre>
        <Suspense fallback={<code>{code}</code>}>
          <Highlighted code={code} lang={lang} />
        </Suspense>
      </pre>
    </div>
  );
}
