import { describe, expect, it } from 'vitest';
import { distinctServices, formatScore, genreNames, statsLine, subtitle } from './format';
import { makeItem } from './test/fetchMock';

describe('subtitle', () => {
  it('reads MEDIA • year • runtime', () => {
    expect(subtitle(makeItem(1, { media_type: 'tv', release_year: 2010, runtime: 148 }))).toBe('TV • 2010 • 148min');
  });

  it('reads N/A for a missing runtime or year', () => {
    expect(subtitle(makeItem(1, { release_year: null, runtime: 0 }))).toBe('MOVIE • N/A • N/A');
  });
});

describe('statsLine', () => {
  it('shows rating, votes with separators and rounded popularity', () => {
    expect(statsLine(makeItem(1, { vote_average: 8.36, vote_count: 35123, popularity: 82.6 }))).toBe(
      '⭐ 8.4/10 · 35,123 votes · 🔥 Popularity 83',
    );
  });

  it('is absent when all three numbers are empty', () => {
    expect(statsLine(makeItem(1, { vote_average: null, vote_count: 0, popularity: null }))).toBeNull();
  });

  it('reads N/A for a missing rating', () => {
    expect(statsLine(makeItem(1, { vote_average: null, vote_count: 0, popularity: 3 }))).toBe(
      '⭐ N/A · 🔥 Popularity 3',
    );
  });
});

describe('genreNames', () => {
  it('joins names', () => {
    expect(genreNames([{ id: 1, name: 'Drama' }, { id: 2, name: 'Comedy' }])).toBe('Drama, Comedy');
  });

  it('survives null, absent and malformed genres', () => {
    expect(genreNames(null)).toBe('');
    expect(genreNames(undefined)).toBe('');
    expect(genreNames([null as never, { id: 3 } as never, { id: 4, name: 'War' }])).toBe('War');
  });
});

describe('distinctServices', () => {
  it('keeps one entry per service in first-seen order', () => {
    expect(
      distinctServices([
        { service: 'nfx', url: 'a' },
        { service: 'dnp', url: 'b' },
        { service: 'nfx', url: 'c' },
      ]),
    ).toEqual(['nfx', 'dnp']);
  });
});

describe('formatScore', () => {
  it('shows three decimals and nothing for a missing score', () => {
    expect(formatScore(0.87654)).toBe('0.877');
    expect(formatScore(null)).toBeNull();
  });
});
