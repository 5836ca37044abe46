/** One recommended title: poster, facts, explanation and the actions that feed history. */
import { formatScore, genreNames, statsLine, subtitle } from '../format';
import type { HistoryEvent, Item, ItemDebug } from '../types';
import { WatchButtons } from './WatchButtons';
import { WhyThisTitle } from './WhyThisTitle';

export interface ResultCardProps {
  item: Item;
  trace?: ItemDebug;
  busy?: boolean;
  onHistory: (item: Item, event: HistoryEvent) => void;
  onWatchOpen?: (item: Item, service: string) => void;
}

export function ResultCard({ item, trace, busy = false, onHistory, onWatchOpen }: ResultCardProps) {
  const title = item.title ?? 'Untitled';
  const stats = statsLine(item);
  const genres = genreNames(item.genres);
  const score = formatScore(item.score);

  return (
    <article className="card" data-testid={`card-${item.id}`} data-item-id={item.id}>
      {item.poster_url && <img className="poster" src={item.poster_url} alt={`${title} poster`} loading="lazy" />}
      <div className="card-body">
        <h3 className="card-title" data-testid="card-title">
          {title}
        </h3>
        <p className="subtitle">{subtitle(item)}</p>
        {stats && <p className="stats">{stats}</p>}
        {item.overview && <p className="overview">{item.overview}</p>}
        {genres && <p className="genres">{genres}</p>}
        {score !== null && (
          <p className="score" data-testid="card-score">
            Score {score}
          </p>
        )}
        {item.explanation && (
          <p className="explanation" data-testid="card-explanation">
            {item.explanation}
          </p>
        )}
        {trace && <WhyThisTitle trace={trace} />}
        <div className="card-actions">
          <WatchButtons
            itemId={item.id}
            options={item.watch_options}
            onOpen={(service) => onWatchOpen?.(item, service)}
          />
          <button
            type="button"
            className="btn btn-outline"
            disabled={busy}
            data-testid="mark-watched"
            onClick={() => onHistory(item, 'watched')}
          >
            Mark as Watched
          </button>
          <button
            type="button"
            className="btn btn-outline"
            disabled={busy}
            data-testid="liked"
            onClick={() => onHistory(item, 'liked')}
          >
            Liked
          </button>
          <button
            type="button"
            className="btn btn-outline btn-danger"
            disabled={busy}
            data-testid="not-interested"
            onClick={() => onHistory(item, 'not_interested')}
          >
            Not interested
          </button>
        </div>
      </div>
    </article>
  );
}
