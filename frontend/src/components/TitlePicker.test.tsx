import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockFetch, on } from '../test/fetchMock';
import { SEARCH_DEBOUNCE_MS, TitlePicker } from './TitlePicker';

const toyStory = { id: 1, tmdb_id: 862, media_type: 'movie', title: 'Toy Story', release_year: 1995, poster_url: null };
const toyStory2 = { ...toyStory, id: 2, tmdb_id: 863, title: 'Toy Story 2', release_year: 1999 };

beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function typeAndSettle(text: string) {
  fireEvent.change(screen.getByTestId('title-picker-input'), { target: { value: text } });
  await act(async () => {
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 10);
  });
}

describe('TitlePicker', () => {
  it('searches once after typing stops and lists the hits', async () => {
    const { calls } = mockFetch(on('/titles/search', { body: { items: [toyStory, toyStory2] } }));
    render(<TitlePicker onAdd={vi.fn()} />);
    fireEvent.change(screen.getByTestId('title-picker-input'), { target: { value: 'To' } });
    fireEvent.change(screen.getByTestId('title-picker-input'), { target: { value: 'Toy' } });
    await typeAndSettle('Toy Story');
    const options = await screen.findAllByTestId('title-picker-option');
    expect(options.map((o) => o.textContent)).toEqual(['Toy Story (1995) · MOVIE', 'Toy Story 2 (1999) · MOVIE']);
    expect(calls.map((c) => c.url)).toEqual(['/titles/search?q=Toy+Story&limit=10']);
  });

  it('does not search for a single character', async () => {
    const { calls } = mockFetch(on('/titles/search', { body: { items: [toyStory] } }));
    render(<TitlePicker onAdd={vi.fn()} />);
    await typeAndSettle('T');
    expect(calls).toHaveLength(0);
  });

  it('adds the picked title with the chosen event', async () => {
    mockFetch(on('/titles/search', { body: { items: [toyStory, toyStory2] } }));
    const onAdd = vi.fn().mockResolvedValue(undefined);
    render(<TitlePicker onAdd={onAdd} />);
    expect(screen.getByTestId('add-history-button')).toBeDisabled();
    await typeAndSettle('Toy Story');
    fireEvent.click((await screen.findAllByTestId('title-picker-option'))[1]);
    fireEvent.change(screen.getByTestId('history-event-select'), { target: { value: 'not_interested' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('add-history-button'));
    });
    expect(onAdd).toHaveBeenCalledWith(toyStory2, 'not_interested');
    expect(await screen.findByTestId('history-status')).toHaveTextContent('Added "Toy Story 2" as not_interested.');
  });

  it('shows the failure when adding fails', async () => {
    mockFetch(on('/titles/search', { body: { items: [toyStory] } }));
    render(<TitlePicker onAdd={vi.fn().mockRejectedValue(new Error('HTTP 500: boom'))} />);
    await typeAndSettle('Toy Story');
    fireEvent.click((await screen.findAllByTestId('title-picker-option'))[0]);
    await act(async () => {
      fireEvent.click(screen.getByTestId('add-history-button'));
    });
    expect(await screen.findByTestId('history-status')).toHaveTextContent('Could not add history: HTTP 500: boom');
  });
});
