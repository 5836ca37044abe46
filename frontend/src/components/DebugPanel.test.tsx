import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PipelineDebug } from '../types';
import { DebugPanel } from './DebugPanel';

const debug: PipelineDebug = {
  path: 'warm',
  catalog: 'memory',
  intent: { genres: ['Sci-Fi'] },
  intent_source: 'offline',
  filters: { media_types: ['movie'] },
  rewrite: 'space survival',
  counts: { ann: 300, collab: 40, trending: 20, merged: 350, hydrated: 340, returned: 20 },
  stages: [
    { name: 'intent', ms: 1.25 },
    { name: 'ann', ms: 12.5 },
  ],
  reranker: 'heuristic',
  items: {},
};

describe('DebugPanel', () => {
  it('shows path, reranker, rewrite, counts, timings and intent', () => {
    render(<DebugPanel debug={debug} />);
    expect(screen.getByTestId('debug-path')).toHaveTextContent('warm');
    expect(screen.getByTestId('debug-reranker')).toHaveTextContent('heuristic');
    expect(screen.getByTestId('debug-rewrite')).toHaveTextContent('space survival');
    expect(screen.getByTestId('debug-counts')).toHaveTextContent('350');
    const stages = screen.getByTestId('debug-stages');
    expect(stages).toHaveTextContent('intent1.3 ms');
    expect(stages).toHaveTextContent('total13.8 ms');
    expect(screen.getByTestId('debug-intent-source')).toHaveTextContent('offline');
    expect(screen.getByTestId('debug-intent')).toHaveTextContent('"Sci-Fi"');
    expect(screen.getByTestId('debug-catalog')).toHaveTextContent('in-memory copy');
  });

  it('names the taste model version behind the collaborative scores', () => {
    const { unmount } = render(<DebugPanel debug={{ ...debug, collab_source: 'taste_model:7' }} />);
    expect(screen.getByTestId('debug-collab-source')).toHaveTextContent('taste model v7');
    unmount();
    render(<DebugPanel debug={{ ...debug, collab_source: 'neighbours' }} />);
    expect(screen.getByTestId('debug-collab-source')).toHaveTextContent('no taste model trained yet');
  });

  it('says when titles came from Postgres and shows nothing for servers without the field', () => {
    const { unmount } = render(<DebugPanel debug={{ ...debug, catalog: 'postgres' }} />);
    expect(screen.getByTestId('debug-catalog')).toHaveTextContent('read from Postgres');
    unmount();
    render(<DebugPanel debug={{ ...debug, catalog: undefined }} />);
    expect(screen.queryByTestId('debug-catalog')).toBeNull();
  });

  it('shows which language services ran and how they fell back', () => {
    render(
      <DebugPanel
        debug={{
          ...debug,
          intent_llm: 'llm_failed:timeout',
          rewrite_source: 'llm',
          rerank: { provider: 'openai:gpt-4o-mini', decisions: 0, fallback: 'status_429', cached: false },
          linked: { searched: 'Interstellar', marker: 'similar', titles: [{ title: 'Interstellar' }], people: [] },
        }}
      />,
    );
    expect(screen.getByTestId('debug-intent-source')).toHaveTextContent('offline (llm_failed:timeout)');
    expect(screen.getByTestId('debug-rewrite')).toHaveTextContent('space survival (llm)');
    expect(screen.getByTestId('debug-reranker')).toHaveTextContent(
      'heuristic (openai:gpt-4o-mini fell back: status_429)',
    );
    expect(screen.getByTestId('debug-linked')).toHaveTextContent('Interstellar');
  });

  it('collapses and expands', async () => {
    render(<DebugPanel debug={debug} />);
    await userEvent.click(screen.getByTestId('debug-panel-toggle'));
    expect(screen.queryByTestId('debug-path')).toBeNull();
    await userEvent.click(screen.getByTestId('debug-panel-toggle'));
    expect(screen.getByTestId('debug-path')).toBeInTheDocument();
  });
});
