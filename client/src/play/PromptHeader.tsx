import { withArticle } from '../game/shapes';
import type { Prompt } from '../protocol';

export function PromptHeader({ prompt, nickname }: { prompt: Prompt | null; nickname: string }) {
  return (
    <div className="prompt">
      <p className="prompt-nickname" data-testid="nickname">
        {nickname ? (
          <>
            Playing as <strong>{nickname}</strong>
          </>
        ) : (
          '\u00a0'
        )}
      </p>
      <h1 id="prompt-heading" data-testid="prompt" data-shape={prompt?.name ?? ''} data-shape-id={prompt?.id ?? ''}>
        {prompt ? (
          <>
            Draw <span className="prompt-shape">{withArticle(prompt.name)}</span>
          </>
        ) : (
          'Getting your first shape…'
        )}
      </h1>
      <p className="prompt-description">{prompt?.description || '\u00a0'}</p>
    </div>
  );
}
