/** Collapsible summary of one `/debug/recommend` run: path, intent, rewrite, counts, timings. */
import { useState } from 'react';
import type { PipelineDebug, StageCounts } from '../types';

const COUNT_KEYS: (keyof StageCounts)[] = ['ann', 'collab', 'trending', 'merged', 'hydrated', 'returned'];

function Json({ value, testId }: { value: unknown; testId: string }) {
  return (
    <pre className="json" data-testid={testId}>
      {JSON.stringify(value ?? null, null, 2)}
    </pre>
  );
}

export function DebugPanel({ debug }: { debug: PipelineDebug }) {
  const [open, setOpen] = useState(true);
  const stages = Array.isArray(debug.stages) ? debug.stages : [];
  const total = stages.reduce((sum, stage) => sum + (Number(stage.ms) || 0), 0);

  return (
    <section className="panel debug-panel" data-testid="debug-panel">
      <button
        type="button"
        className="collapse-toggle"
        aria-expanded={open}
        data-testid="debug-panel-toggle"
        onClick={() => setOpen((o) => !o)}
      >
        {open ? '▾' : '▸'} Pipeline debug
      </button>
      {open && (
        <div className="debug-body">
          <dl className="facts">
            <dt>Path</dt>
            <dd data-testid="debug-path">{debug.path || 'unknown'}</dd>
            {debug.catalog && (
              <>
                <dt>Catalog</dt>
                <dd data-testid="debug-catalog">
                  {debug.catalog === 'memory' ? 'in-memory copy' : 'read from Postgres (copy reloading or off)'}
                </dd>
              </>
            )}
            {debug.collab_source && (
              <>
                <dt>Collaborative</dt>
                <dd data-testid="debug-collab-source">{collabSourceLabel(debug.collab_source)}</dd>
              </>
            )}
            <dt>Intent source</dt>
            <dd data-testid="debug-intent-source">
              {debug.intent_source || 'none'}
              {debug.intent_llm ? ` (${debug.intent_llm})` : ''}
            </dd>
            <dt>Reranker</dt>
            <dd data-testid="debug-reranker">
              {debug.reranker || 'none'}
              {debug.rerank?.fallback ? ` (${debug.rerank.provider} fell back: ${debug.rerank.fallback})` : ''}
            </dd>
            <dt>Rewrite</dt>
            <dd data-testid="debug-rewrite">
              {debug.rewrite ?? '—'}
              {debug.rewrite_source ? ` (${debug.rewrite_source})` : ''}
            </dd>
            {debug.linked && (debug.linked.titles.length > 0 || debug.linked.people.length > 0) && (
              <>
                <dt>Linked</dt>
                <dd data-testid="debug-linked">
                  {[...debug.linked.titles.map((t) => t.title), ...debug.linked.people].join(', ')}
                </dd>
              </>
            )}
          </dl>
          <h3>Candidate counts</h3>
          <table className="counts" data-testid="debug-counts">
            <tbody>
              <tr>
                {COUNT_KEYS.map((key) => (
                  <th key={key}>{key}</th>
                ))}
              </tr>
              <tr>
                {COUNT_KEYS.map((key) => (
                  <td key={key}>{debug.counts?.[key] ?? '—'}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <h3>Stage timings</h3>
          <table className="stages" data-testid="debug-stages">
            <tbody>
              {stages.map((stage, i) => (
                <tr key={`${stage.name}-${i}`}>
                  <td>{stage.name}</td>
                  <td className="num">{(Number(stage.ms) || 0).toFixed(1)} ms</td>
                </tr>
              ))}
              <tr className="total">
                <td>total</td>
                <td className="num">{total.toFixed(1)} ms</td>
              </tr>
            </tbody>
          </table>
          <div className="row">
            <div>
              <h3>Parsed intent</h3>
              <Json value={debug.intent} testId="debug-intent" />
            </div>
            <div>
              <h3>Filters</h3>
              <Json value={debug.filters} testId="debug-filters" />
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

/** The collaborative source in words: the taste model's version, or the fallback. */
function collabSourceLabel(source: string): string {
  if (source.startsWith('taste_model:')) return `taste model v${source.slice('taste_model:'.length)}`;
  if (source === 'neighbours') return 'neighbours (no taste model trained yet)';
  return source;
}
