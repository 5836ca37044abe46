/**
 * The page. It owns the form state and wires the parts together; the fetching lives in
 * `useRecommendations`. Unlike the original, a search does not POST an empty history first.
 */
import { useCallback, useState } from 'react';
import { postFeedback, postHistory } from './api';
import { DebugPanel } from './components/DebugPanel';
import { ErrorAlert } from './components/ErrorAlert';
import { ImportPanel } from './components/ImportPanel';
import { ResultsGrid } from './components/ResultsGrid';
import { SearchForm } from './components/SearchForm';
import { TitlePicker } from './components/TitlePicker';
import { buildRecommendParams, initialFormState, type FormState } from './form';
import { useRecommendations } from './hooks/useRecommendations';
import type { HistoryEvent, HistoryRequest, Item, TitleHit } from './types';

function historyBody(form: FormState, itemId: number, event: HistoryEvent): HistoryRequest {
  const body: HistoryRequest = { user_id: form.userId, items: [itemId], event_type: event, weight: 1 };
  const profile = form.profile.trim();
  if (profile) body.profile = profile;
  return body;
}

export function App() {
  const [form, setForm] = useState<FormState>(initialFormState);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { state, search, more } = useRecommendations();

  const update = useCallback((patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch })), []);

  const runSearch = useCallback(
    (current: FormState) => search(buildRecommendParams(current), current.showDebug),
    [search],
  );

  // Card buttons record the event, then re-run the search so the list reflects it (as the
  // original did for "Mark as Watched").
  const onCardHistory = async (item: Item, event: HistoryEvent) => {
    setBusy(true);
    setNotice(null);
    try {
      await postHistory(historyBody(form, item.id, event));
      await runSearch(form);
    } catch (err) {
      setNotice(`Could not record "${event}" for ${item.title ?? item.id}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const onPickerAdd = async (hit: TitleHit, event: HistoryEvent) => {
    await postHistory(historyBody(form, hit.id, event));
  };

  // Analytics only; a lost click must never disturb the page.
  const onWatchOpen = (item: Item, service: string) => {
    postFeedback({
      user_id: form.userId,
      item_id: item.id,
      event_type: 'click',
      meta: { service, surface: 'watch_button' },
    }).catch((err: unknown) => console.warn('feedback failed', err));
  };

  return (
    <main className="container">
      <h1 className="title">Seen&apos;emAll</h1>
      <SearchForm form={form} loading={state.loading} onChange={update} onSubmit={() => runSearch(form)} />
      <TitlePicker onAdd={onPickerAdd} />
      <ImportPanel userId={form.userId} profile={form.profile} />
      {state.error && <ErrorAlert message={state.error} />}
      {notice && <ErrorAlert message={notice} />}
      {state.debug && <DebugPanel debug={state.debug} />}
      {state.searched && !state.error && state.items.length === 0 && (
        <p className="empty" data-testid="no-results">
          No recommendations.
        </p>
      )}
      <ResultsGrid
        items={state.items}
        debug={state.debug}
        nextCursor={state.nextCursor}
        loadingMore={state.loadingMore}
        busy={busy}
        onMore={more}
        onHistory={onCardHistory}
        onWatchOpen={onWatchOpen}
      />
    </main>
  );
}
