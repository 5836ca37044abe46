import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeItem } from '../test/fetchMock';
import type { ItemDebug } from '../types';
import { ResultCard } from './ResultCard';

const noop = () => {};

describe('ResultCard', () => {
  it('renders title, subtitle, stats, overview, genres, score and explanation', () => {
    const item = makeItem(5, {
      title: 'Inception',
      runtime: 148,
      release_year: 2010,
      explanation: 'Because you liked mind-bending thrillers.',
      score: 0.91234,
      poster_url: 'http://img/p.jpg',
    });
    render(<ResultCard item={item} onHistory={noop} />);
    const card = screen.getByTestId('card-5');
    expect(within(card).getByTestId('card-title')).toHaveTextContent('Inception');
    expect(card).toHaveTextContent('MOVIE • 2010 • 148min');
    expect(card).toHaveTextContent('⭐ 7.3/10 · 1,234 votes · 🔥 Popularity 13');
    expect(card).toHaveTextContent('Overview 5');
    expect(card).toHaveTextContent('Drama');
    expect(within(card).getByTestId('card-score')).toHaveTextContent('Score 0.912');
    expect(within(card).getByTestId('card-explanation')).toHaveTextContent(
      'Because you liked mind-bending thrillers.',
    );
    expect(screen.getByAltText('Inception poster')).toHaveAttribute('src', 'http://img/p.jpg');
  });

  it('renders a title whose genres are null', () => {
    render(<ResultCard item={makeItem(6, { genres: null })} onHistory={noop} />);
    expect(screen.getByTestId('card-6')).toHaveTextContent('Title 6');
  });

  it('renders a title without a genres key', () => {
    const item = makeItem(7);
    delete item.genres;
    render(<ResultCard item={item} onHistory={noop} />);
    expect(screen.getByTestId('card-7')).toHaveTextContent('Title 7');
  });

  it('links one watch button per distinct service through /watch-link', () => {
    const item = makeItem(8, {
      watch_options: [
        { service: 'nfx', url: 'https://n/1' },
        { service: 'nfx', url: 'https://n/2' },
        { service: 'dnp', url: 'https://d/1' },
      ],
    });
    render(<ResultCard item={item} onHistory={noop} />);
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      '/watch-link/8?service=nfx',
      '/watch-link/8?service=dnp',
    ]);
    expect(links[0]).toHaveTextContent('NFX');
    expect(links[0]).toHaveAttribute('target', '_blank');
    expect(links[0]).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('shows a disabled button when there is no streaming option', () => {
    render(<ResultCard item={makeItem(9, { watch_options: null })} onHistory={noop} />);
    expect(screen.getByTestId('no-streaming')).toBeDisabled();
  });

  it('reports watched, liked and not_interested', async () => {
    const onHistory = vi.fn();
    const item = makeItem(10);
    render(<ResultCard item={item} onHistory={onHistory} />);
    await userEvent.click(screen.getByText('Mark as Watched'));
    await userEvent.click(screen.getByText('Liked'));
    await userEvent.click(screen.getByText('Not interested'));
    expect(onHistory.mock.calls.map((c) => c[1])).toEqual(['watched', 'liked', 'not_interested']);
    expect(onHistory.mock.calls[0][0]).toBe(item);
  });

  it('shows "Why this title" only with a trace', () => {
    const trace: ItemDebug = {
      components: { ann: 0.4, collab: 0.1, trending: 0, popularity: 0.2, votes: 0.05, novelty: 0, lexical: 0, rating: 0 },
      retrieval_score: 0.8,
      rules: [],
      mmr_from: null,
      serendipity: false,
      unverified: [],
    };
    const { rerender } = render(<ResultCard item={makeItem(11)} onHistory={noop} />);
    expect(screen.queryByTestId('why-this-title')).toBeNull();
    rerender(<ResultCard item={makeItem(11)} trace={trace} onHistory={noop} />);
    expect(screen.getByTestId('why-this-title')).toBeInTheDocument();
  });
});
