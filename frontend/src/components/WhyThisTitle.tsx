/** "Why this title": the pipeline's trace for one card (from `debug.items[id]`). */
import type { ItemDebug, MixerComponents } from '../types';

const COMPONENT_LABELS: [keyof MixerComponents, string][] = [
  ['ann', 'ANN'],
  ['collab', 'Collab'],
  ['trending', 'Trending'],
  ['popularity', 'Popularity'],
  ['votes', 'Votes'],
  ['novelty', 'Novelty'],
  ['lexical', 'Lexical'],
  ['rating', 'Rating'],
];

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function WhyThisTitle({ trace }: { trace: ItemDebug }) {
  const components = trace.components ?? ({} as MixerComponents);
  // Bars are scaled to the largest contribution of this card, so the mix reads at a glance.
  const largest = Math.max(1e-9, ...COMPONENT_LABELS.map(([key]) => Math.abs(num(components[key]))));
  const rules = Array.isArray(trace.rules) ? trace.rules : [];
  const unverified = Array.isArray(trace.unverified) ? trace.unverified : [];

  return (
    <details className="why" data-testid="why-this-title">
      <summary>Why this title</summary>
      <div className="why-body">
        <ul className="bars" aria-label="Mixer components">
          {COMPONENT_LABELS.map(([key, label]) => {
            const value = num(components[key]);
            const width = `${Math.round((Math.abs(value) / largest) * 100)}%`;
            return (
              <li key={key} data-testid={`component-${key}`}>
                <span className="bar-label">{label}</span>
                <span className="bar-track">
                  <span className="bar-fill" style={{ width }} />
                </span>
                <span className="bar-value">{value.toFixed(3)}</span>
              </li>
            );
          })}
        </ul>
        <p>Retrieval score: {num(trace.retrieval_score).toFixed(3)}</p>
        {rules.length > 0 && (
          <div>
            Rules applied:
            <ul>
              {rules.map((rule, i) => (
                <li key={i}>{rule}</li>
              ))}
            </ul>
          </div>
        )}
        {typeof trace.mmr_from === 'number' && <p>MMR moved this title from rank {trace.mmr_from}.</p>}
        {trace.serendipity && <p>Serendipity pick: placed to widen the mix.</p>}
        {unverified.length > 0 && (
          <div>
            Unverified:
            <ul>
              {unverified.map((reason, i) => (
                <li key={i}>{reason}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </details>
  );
}
