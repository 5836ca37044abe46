import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { makeItem, mockFetch, on, type Call } from './test/fetchMock';

afterEach(() => vi.unstubAllGlobals());

const pageOne = { items: [makeItem(1), makeItem(2)], next_cursor: 'CUR1' };
const pageTwo = { items: [makeItem(3), makeItem(2)] };

function recommendByCursor(call: Call) {
  return { body: call.url.includes('cursor=CUR1') ? pageTwo : pageOne };
}

async function submit() {
  await userEvent.click(screen.getByTestId('submit-button'));
}

function cardIds(): string[] {
  return screen.queryAllByTestId(/^card-\d+$/).map((el) => el.getAttribute('data-testid') ?? '');
}

describe('App', () => {
  it('shows the heading', () => {
    render(<App />);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent("Seen'emAll");
  });

  it('requests recommendations for the typed user without posting history first', async () => {
    const { calls } = mockFetch(on('/recommend', recommendByCursor));
    render(<App />);
    const user = screen.getByTestId('user-id-input');
    await userEvent.clear(user);
    await userEvent.type(user, 'alice');
    await userEvent.type(screen.getByTestId('query-input'), 'space movies');
    await submit();
    await screen.findByTestId('card-1');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /recommend?user_id=alice&query=space+movies']);
    expect(within(screen.getByTestId('card-1')).getByTestId('card-explanation')).toHaveTextContent('Because 1');
  });

  it('sends the moved mixer slider with all eight weights', async () => {
    const { calls } = mockFetch(on('/recommend', recommendByCursor));
    render(<App />);
    expect(screen.queryByTestId('slider-mixer_popularity_weight')).toBeNull();
    await userEvent.click(screen.getByTestId('switch-customize-mixer'));
    fireEvent.change(screen.getByTestId('slider-mixer_popularity_weight'), { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('slider-mixer_ann_weight'), { target: { value: '0' } });
    await submit();
    await screen.findByTestId('card-1');
    expect(calls[0].url).toBe(
      '/recommend?user_id=u1&mixer_ann_weight=0&mixer_collab_weight=2&mixer_trending_weight=0.2' +
        '&mixer_popularity_weight=2&mixer_novelty_weight=0.1&mixer_vote_weight=0.1' +
        '&mixer_lexical_weight=0.2&mixer_rating_weight=0',
    );
  });

  it('appends the next page fetched with the cursor and the same parameters', async () => {
    const { calls } = mockFetch(on('/recommend', recommendByCursor));
    render(<App />);
    await userEvent.click(screen.getByTestId('switch-diversify'));
    await submit();
    await screen.findByTestId('card-2');
    // Editing the form after the search must not leak into the next page's request.
    await userEvent.type(screen.getByTestId('query-input'), 'changed');
    await userEvent.click(screen.getByTestId('more-button'));
    await screen.findByTestId('card-3');
    expect(calls[1].url).toBe('/recommend?user_id=u1&diversify=false&cursor=CUR1');
    expect(cardIds()).toEqual(['card-1', 'card-2', 'card-3']);
    expect(screen.queryByTestId('more-button')).toBeNull();
  });

  it('shows the error alert when the API fails', async () => {
    mockFetch(on('/recommend', { status: 500, body: { detail: 'database unavailable' } }));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<App />);
    await submit();
    const alert = await screen.findByTestId('error-alert');
    expect(alert).toHaveTextContent('Failed to load recommendations. Please try again.');
    expect(alert).toHaveTextContent('database unavailable');
  });

  it('survives an item with null genres', async () => {
    mockFetch(on('/recommend', { body: { items: [makeItem(4, { genres: null })] } }));
    render(<App />);
    await submit();
    expect(await screen.findByTestId('card-4')).toHaveTextContent('Title 4');
  });

  it('marks a card watched, then searches again', async () => {
    const { calls } = mockFetch(
      on('/user/history', { body: { ok: true, user_id: 'u1', profile: 'kids' } }, 'POST'),
      on('/recommend', recommendByCursor),
    );
    render(<App />);
    await userEvent.type(screen.getByTestId('profile-input'), 'kids');
    await submit();
    await userEvent.click(within(await screen.findByTestId('card-2')).getByTestId('mark-watched'));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[1]).toMatchObject({
      method: 'POST',
      url: '/user/history',
      body: { user_id: 'u1', items: [2], event_type: 'watched', weight: 1, profile: 'kids' },
    });
    expect(calls[2].url).toBe('/recommend?user_id=u1&profile=kids');
  });

  it('records not_interested from a card', async () => {
    const { calls } = mockFetch(
      on('/user/history', { body: { ok: true, user_id: 'u1', profile: null } }, 'POST'),
      on('/recommend', recommendByCursor),
    );
    render(<App />);
    await submit();
    await userEvent.click(within(await screen.findByTestId('card-1')).getByTestId('not-interested'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      user_id: 'u1',
      items: [1],
      event_type: 'not_interested',
      weight: 1,
    });
  });

  it('uses /debug/recommend when debug is on and shows the panel and per-card traces', async () => {
    const debug = {
      path: 'cold_start',
      intent: {},
      filters: {},
      rewrite: null,
      counts: { ann: 10, collab: 0, trending: 5, merged: 15, hydrated: 15, returned: 2 },
      stages: [{ name: 'ann', ms: 3.5 }],
      reranker: 'heuristic',
      items: {
        '1': {
          components: { ann: 0.3, collab: 0, trending: 0.1, popularity: 0.1, votes: 0, novelty: 0, lexical: 0, rating: 0 },
          retrieval_score: 0.7,
          rules: [],
          mmr_from: null,
          serendipity: false,
          unverified: [],
        },
      },
    };
    const { calls } = mockFetch(on('/debug/recommend', { body: { ...pageOne, debug } }));
    render(<App />);
    await userEvent.click(screen.getByTestId('debug-toggle'));
    await submit();
    expect(await screen.findByTestId('debug-path')).toHaveTextContent('cold_start');
    expect(screen.getByTestId('debug-stages')).toHaveTextContent('ann3.5 ms');
    expect(calls[0].url).toBe('/debug/recommend?user_id=u1');
    expect(within(screen.getByTestId('card-1')).getByTestId('why-this-title')).toBeInTheDocument();
    expect(within(screen.getByTestId('card-2')).queryByTestId('why-this-title')).toBeNull();
  });

  it('sends a click feedback when a watch link is opened', async () => {
    const item = makeItem(9, { watch_options: [{ service: 'nfx', url: 'https://n/9' }] });
    const { calls } = mockFetch(
      on('/recommend', { body: { items: [item] } }),
      on('/feedback', { body: { ok: true } }, 'POST'),
    );
    render(<App />);
    await submit();
    const link = within(await screen.findByTestId('card-9')).getByTestId('watch-nfx');
    link.addEventListener('click', (e) => e.preventDefault());
    fireEvent.click(link);
    await waitFor(() => expect(calls.some((c) => c.url === '/feedback')).toBe(true));
    expect(calls.find((c) => c.url === '/feedback')?.body).toEqual({
      user_id: 'u1',
      item_id: 9,
      event_type: 'click',
      meta: { service: 'nfx', surface: 'watch_button' },
    });
  });
});
