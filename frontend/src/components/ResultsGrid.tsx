/** The cards in API order, and the "More" button while the API reports a next page. */
import type { HistoryEvent, Item, PipelineDebug } from '../types';
import { ResultCard } from './ResultCard';

export interface ResultsGridProps {
  items: Item[];
  debug: PipelineDebug | null;
  nextCursor: string | null;
  loadingMore: boolean;
  busy: boolean;
  onMore: (cursor: string) => void;
  onHistory: (item: Item, event: HistoryEvent) => void;
  onWatchOpen?: (item: Item, service: string) => void;
}

export function ResultsGrid(props: ResultsGridProps) {
  const { items, debug, nextCursor, loadingMore, busy, onMore, onHistory, onWatchOpen } = props;
  return (
    <section aria-label="Recommendations">
      <div className="grid" data-testid="results">
        {items.map((item) => (
          <ResultCard
            key={item.id}
            item={item}
            trace={debug?.items?.[String(item.id)]}
            busy={busy}
            onHistory={onHistory}
            onWatchOpen={onWatchOpen}
          />
        ))}
      </div>
      {nextCursor && (
        <div className="more">
          <button
            type="button"
            className="btn btn-secondary"
            disabled={loadingMore}
            data-testid="more-button"
            onClick={() => onMore(nextCursor)}
          >
            {loadingMore ? 'Loading...' : 'More'}
          </button>
        </div>
      )}
    </section>
  );
}
