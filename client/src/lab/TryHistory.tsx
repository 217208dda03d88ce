import { boundsOf } from '../geometry/boundsOf';
import { fitView } from '../geometry/fitView';
import type { Try } from './labState';

const THUMB = 56;

/** An SVG outline of a finished try, fitted into a small square. */
function Thumbnail({ strokes }: { strokes: Try['strokes'] }) {
  const bounds = boundsOf(strokes);
  if (!bounds) return null;
  const v = fitView(bounds, { width: THUMB, height: THUMB }, { padding: 4, minExtent: 20 });
  const paths = strokes.map((s) =>
    s.x.map((x, i) => `${i === 0 ? 'M' : 'L'}${(x * v.scale + v.offsetX).toFixed(1)} ${(s.y[i]! * v.scale + v.offsetY).toFixed(1)}`).join(''),
  );
  return (
    <svg className="lab-thumb" viewBox={`0 0 ${THUMB} ${THUMB}`} width={THUMB} height={THUMB} aria-hidden="true">
      {paths.map((d, i) => (
        <path key={i} d={d} />
      ))}
    </svg>
  );
}

/** What was drawn before, newest first, with what the model answered at the end of each try. */
export function TryHistory({ tries }: { tries: readonly Try[] }) {
  return (
    <section className="lab-card" aria-labelledby="lab-history-heading">
      <h2 id="lab-history-heading">Your tries</h2>
      {tries.length === 0 ? (
        <p className="lab-muted">Press “New try” to keep a drawing here with the model's answer.</p>
      ) : (
        <ol className="lab-tries" data-testid="lab-tries">
          {tries.map((t) => (
            <li key={t.id} className="lab-try">
              <Thumbnail strokes={t.strokes} />
              <span>
                <strong>{t.shape ?? 'no answer'}</strong>
                {t.shape ? ` ${Math.round(t.confidence * 100)}%` : ''}
                <br />
                <small className="lab-muted">
                  {t.latencyMs === null ? '' : `${Math.round(t.latencyMs)} ms`}
                  {t.model === null ? '' : ` · v${t.model}`}
                </small>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
