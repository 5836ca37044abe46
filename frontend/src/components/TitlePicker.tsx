/**
 * Add history by title: search-as-you-type over `/titles/search` (debounced, stale answers
 * dropped), pick a hit, choose the event, add it.
 */
import { useEffect, useState } from 'react';
import { searchTitles } from '../api';
import { useDebounced } from '../hooks/useDebounced';
import type { HistoryEvent, TitleHit } from '../types';

/** Wait this long after the last keystroke before searching. */
export const SEARCH_DEBOUNCE_MS = 250;

const EVENTS: { value: HistoryEvent; label: string }[] = [
  { value: 'watched', label: 'Watched' },
  { value: 'liked', label: 'Liked' },
  { value: 'not_interested', label: 'Not interested' },
];

export interface TitlePickerProps {
  /** Records the event; rejects with a readable error when it failed. */
  onAdd: (hit: TitleHit, event: HistoryEvent) => Promise<void>;
}

function label(hit: TitleHit): string {
  const year = hit.release_year ? ` (${hit.release_year})` : '';
  return `${hit.title}${year} · ${String(hit.media_type).toUpperCase()}`;
}

export function TitlePicker({ onAdd }: TitlePickerProps) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<TitleHit[]>([]);
  const [selected, setSelected] = useState<TitleHit | null>(null);
  const [event, setEvent] = useState<HistoryEvent>('watched');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [adding, setAdding] = useState(false);
  const term = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);

  useEffect(() => {
    if (term.length < 2 || (selected && term === selected.title)) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    searchTitles(term, 10, controller.signal)
      .then((body) => setHits(body.items))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setHits([]);
        setStatus({ kind: 'error', text: `Title search failed: ${(err as Error).message}` });
      });
    return () => controller.abort();
  }, [term, selected]);

  const pick = (hit: TitleHit) => {
    setSelected(hit);
    setText(hit.title);
    setHits([]);
    setStatus(null);
  };

  const add = async () => {
    if (!selected) return;
    setAdding(true);
    try {
      await onAdd(selected, event);
      setStatus({ kind: 'ok', text: `Added "${selected.title}" as ${event}.` });
    } catch (err) {
      setStatus({ kind: 'error', text: `Could not add history: ${(err as Error).message}` });
    } finally {
      setAdding(false);
    }
  };

  return (
    <section className="panel title-picker" aria-labelledby="picker-heading">
      <h2 id="picker-heading">Add history by title</h2>
      <div className="row picker-row">
        <div className="field picker-field">
          <label htmlFor="title-picker">Title</label>
          <input
            id="title-picker"
            type="search"
            autoComplete="off"
            placeholder="Start typing a title, e.g. Toy Story"
            value={text}
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls="title-picker-options"
            data-testid="title-picker-input"
            onChange={(e) => {
              setText(e.target.value);
              setSelected(null);
            }}
          />
          {hits.length > 0 && (
            <ul id="title-picker-options" className="options" role="listbox">
              {hits.map((hit) => (
                <li key={hit.id} role="option" aria-selected={false}>
                  <button
                    type="button"
                    data-testid="title-picker-option"
                    data-item-id={hit.id}
                    onClick={() => pick(hit)}
                  >
                    {label(hit)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="field">
          <label htmlFor="history-event">Event</label>
          <select
            id="history-event"
            value={event}
            data-testid="history-event-select"
            onChange={(e) => setEvent(e.target.value as HistoryEvent)}
          >
            {EVENTS.map((ev) => (
              <option key={ev.value} value={ev.value}>
                {ev.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!selected || adding}
          data-testid="add-history-button"
          onClick={add}
        >
          {adding ? 'Adding...' : 'Add to history'}
        </button>
      </div>
      {selected && <p className="help">Selected: {label(selected)}</p>}
      {status && (
        <p className={status.kind === 'ok' ? 'status-ok' : 'status-error'} data-testid="history-status" role="status">
          {status.text}
        </p>
      )}
    </section>
  );
}
