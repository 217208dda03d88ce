import { useState } from 'react';
import { apiExamples, type ApiExample } from './apiExamples';

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // No clipboard (insecure origin): the text is selectable in the block.
    }
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} aria-label={`Copy ${label}`}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function Snippet({ example, lang, code }: { example: ApiExample; lang: string; code: string }) {
  return (
    <div className="lab-snippet">
      <div className="lab-snippet-head">
        <span>{lang}</span>
        <CopyButton text={code} label={`${lang} for ${example.title}`} />
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** Every inference endpoint as a ready-to-run curl command and Python script. */
export function ApiExamples({ origin }: { origin: string }) {
  return (
    <section className="lab-card lab-api" aria-labelledby="lab-api-heading">
      <h2 id="lab-api-heading">Call it from your code</h2>
      <p className="lab-muted">
        The full contract is the <a href="/api/openapi.json">OpenAPI document</a>; the socket is described in
        docs/ws-protocol.md.
      </p>
      {apiExamples(origin).map((e) => (
        <details key={e.id} className="lab-example" data-testid={`lab-example-${e.id}`}>
          <summary>{e.title}</summary>
          <p>{e.description}</p>
          {e.curl ? <Snippet example={e} lang="curl" code={e.curl} /> : null}
          <Snippet example={e} lang="Python" code={e.python} />
        </details>
      ))}
    </section>
  );
}
