/** Text shown on a result card, kept out of the components so it can be tested directly. */
import type { Genre, Item, WatchOption } from './types';

/** `MOVIE • 2010 • 148min`; unknown year or runtime read `N/A`. */
export function subtitle(item: Item): string {
  const media = (item.media_type ?? '').toString().toUpperCase() || 'N/A';
  const year = item.release_year ?? 'N/A';
  const runtime = item.runtime ? `${item.runtime}min` : 'N/A';
  return `${media} • ${year} • ${runtime}`;
}

/**
 * `⭐ 8.4/10 · 35,000 votes · 🔥 Popularity 83`, or null when there is nothing to say
 * (the original showed the line only if one of the three numbers was truthy).
 */
export function statsLine(item: Item): string | null {
  const { vote_average: avg, vote_count: count, popularity } = item;
  if (!avg && !count && !popularity) return null;
  let line = typeof avg === 'number' && avg ? `⭐ ${avg.toFixed(1)}/10` : '⭐ N/A';
  if (typeof count === 'number' && count > 0) line += ` · ${count.toLocaleString('en-US')} votes`;
  if (typeof popularity === 'number') line += ` · 🔥 Popularity ${Math.round(popularity)}`;
  return line;
}

/** Genre names joined by `, `. Null, absent or malformed genres give `''` (the original crashed). */
export function genreNames(genres: Genre[] | null | undefined): string {
  if (!Array.isArray(genres)) return '';
  return genres
    .map((g) => (g && typeof g.name === 'string' ? g.name : ''))
    .filter(Boolean)
    .join(', ');
}

/** One entry per service, first occurrence wins (the API may list a service per offer type). */
export function distinctServices(options: WatchOption[] | null | undefined): string[] {
  if (!Array.isArray(options)) return [];
  const seen = new Set<string>();
  for (const option of options) {
    if (option && typeof option.service === 'string' && option.service) seen.add(option.service);
  }
  return [...seen];
}

/** The score with three decimals, or null when the API sent none. */
export function formatScore(score: number | null | undefined): string | null {
  return typeof score === 'number' && Number.isFinite(score) ? score.toFixed(3) : null;
}
