//! The list phase's bookkeeping: which titles the lists name, in first-seen order, and each
//! title's best (lowest) 1-based position per list. Also `--list-weights`.

use seen_core::item::MediaType;
use seen_providers::tmdb::ListKind;
use std::collections::HashMap;

/// A title's natural key.
pub type Key = (MediaType, i32);

/// A title's best position in each list this run paged through (`None`: not listed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ranks {
    /// Position in `/{media}/popular`.
    pub popular: Option<i32>,
    /// Position in `/{media}/top_rated`.
    pub top_rated: Option<i32>,
    /// Position in `/trending/{media}/day`.
    pub trending: Option<i32>,
}

impl Ranks {
    fn slot(&mut self, list: ListKind) -> &mut Option<i32> {
        match list {
            ListKind::Popular => &mut self.popular,
            ListKind::TopRated => &mut self.top_rated,
            ListKind::Trending => &mut self.trending,
        }
    }
}

/// Listed titles in first-seen order, with their ranks.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    order: Vec<Key>,
    ranks: HashMap<Key, Ranks>,
    /// List entries seen, duplicates and unusable ids included.
    pub entries: u64,
    /// Entries whose id was missing, non-numeric or out of range.
    pub unusable: u64,
}

impl Candidates {
    /// Records the entry at 1-based `position` of `list` for `media`. Positions count every
    /// entry, including unusable ones, so page 2's first entry is 21 with 20 per page.
    pub fn record(&mut self, media: MediaType, list: ListKind, position: u64, id: Option<i64>) {
        self.entries += 1;
        let (Some(id), Ok(rank)) = (
            id.and_then(|id| i32::try_from(id).ok())
                .filter(|id| *id > 0),
            i32::try_from(position),
        ) else {
            self.unusable += 1;
            return;
        };
        let key = (media, id);
        let ranks = self.ranks.entry(key).or_insert_with(|| {
            self.order.push(key);
            Ranks::default()
        });
        let slot = ranks.slot(list);
        *slot = Some(slot.map_or(rank, |seen| seen.min(rank)));
    }

    /// Unique titles in first-seen order.
    pub fn keys(&self) -> &[Key] {
        &self.order
    }

    /// Every listed title with its ranks, in list order, for the store.
    pub fn listed(&self) -> Vec<seen_store::list_ranks::ListedTitle> {
        self.order
            .iter()
            .map(|key @ (media_type, tmdb_id)| {
                let r = self.ranks(key);
                seen_store::list_ranks::ListedTitle {
                    media_type: *media_type,
                    tmdb_id: *tmdb_id,
                    popular: r.popular,
                    top_rated: r.top_rated,
                    trending: r.trending,
                }
            })
            .collect()
    }

    /// A listed title's ranks (all `None` for a title not listed).
    pub fn ranks(&self, key: &Key) -> Ranks {
        self.ranks.get(key).copied().unwrap_or_default()
    }

    /// Number of unique titles.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when no list named a usable title.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// Pages per list as a fraction of `--pages`: `popular=1,top_rated=0.5,trending=0.5` by default,
/// so `--pages 25` pages 25 / 12 / 12 (the original's `pages // 2`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListWeights {
    /// Weight of the popular list.
    pub popular: f64,
    /// Weight of the top-rated list.
    pub top_rated: f64,
    /// Weight of the trending list.
    pub trending: f64,
}

impl Default for ListWeights {
    fn default() -> Self {
        ListWeights {
            popular: 1.0,
            top_rated: 0.5,
            trending: 0.5,
        }
    }
}

impl ListWeights {
    /// Parses `list=weight` pairs separated by commas. Lists not named keep their default; a
    /// weight is a finite number ≥ 0 (0 skips the list).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let mut weights = ListWeights::default();
        for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not `list=weight` (e.g. `top_rated=0.5`)"))?;
            let list = ListKind::parse(name).ok_or_else(|| {
                format!(
                    "unknown list `{}`; use popular, top_rated or trending",
                    name.trim()
                )
            })?;
            let weight: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|w: &f64| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| {
                    format!(
                        "the weight of {list} must be a number ≥ 0, got `{}`",
                        value.trim()
                    )
                })?;
            *weights.slot(list) = weight;
        }
        Ok(weights)
    }

    /// Pages to fetch from `list` when popular gets `pages`: `floor(pages × weight)`.
    pub fn pages_for(&self, list: ListKind, pages: u32) -> u32 {
        let weight = match list {
            ListKind::Popular => self.popular,
            ListKind::TopRated => self.top_rated,
            ListKind::Trending => self.trending,
        };
        // TMDB serves at most 500 pages per list; the cap also keeps the cast in range.
        (f64::from(pages) * weight).floor().clamp(0.0, 500.0) as u32
    }

    fn slot(&mut self, list: ListKind) -> &mut f64 {
        match list {
            ListKind::Popular => &mut self.popular,
            ListKind::TopRated => &mut self.top_rated,
            ListKind::Trending => &mut self.trending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_keeps_its_best_position_per_list() {
        let mut c = Candidates::default();
        c.record(MediaType::Movie, ListKind::Popular, 3, Some(7));
        c.record(MediaType::Movie, ListKind::Popular, 1, Some(7));
        c.record(MediaType::Movie, ListKind::Trending, 5, Some(7));
        assert_eq!(
            c.ranks(&(MediaType::Movie, 7)),
            Ranks {
                popular: Some(1),
                top_rated: None,
                trending: Some(5)
            }
        );
    }

    #[test]
    fn titles_come_out_in_first_seen_order_once_each() {
        let mut c = Candidates::default();
        c.record(MediaType::Movie, ListKind::Popular, 1, Some(9));
        c.record(MediaType::Movie, ListKind::TopRated, 1, Some(4));
        c.record(MediaType::Movie, ListKind::Trending, 1, Some(9));
        c.record(MediaType::Tv, ListKind::Popular, 1, Some(9));
        assert_eq!(
            c.keys(),
            &[
                (MediaType::Movie, 9),
                (MediaType::Movie, 4),
                (MediaType::Tv, 9)
            ]
        );
        assert_eq!(c.entries, 4);
    }

    #[test]
    fn unusable_ids_are_counted_but_not_listed() {
        let mut c = Candidates::default();
        c.record(MediaType::Movie, ListKind::Popular, 1, None);
        c.record(
            MediaType::Movie,
            ListKind::Popular,
            2,
            Some(i64::from(i32::MAX) + 1),
        );
        c.record(MediaType::Movie, ListKind::Popular, 3, Some(0));
        assert!(c.is_empty());
        assert_eq!((c.entries, c.unusable), (3, 3));
    }

    #[test]
    fn a_title_not_listed_has_no_ranks() {
        assert_eq!(
            Candidates::default().ranks(&(MediaType::Tv, 1)),
            Ranks::default()
        );
    }

    #[test]
    fn default_weights_halve_top_rated_and_trending_rounding_down() {
        let w = ListWeights::default();
        assert_eq!(w.pages_for(ListKind::Popular, 25), 25);
        assert_eq!(w.pages_for(ListKind::TopRated, 25), 12);
        assert_eq!(w.pages_for(ListKind::Trending, 1), 0);
    }

    #[test]
    fn weights_parse_by_name_and_keep_defaults_for_the_rest() {
        let w = ListWeights::parse("trending=2, top-rated=0").expect("valid");
        assert_eq!(
            w,
            ListWeights {
                popular: 1.0,
                top_rated: 0.0,
                trending: 2.0
            }
        );
    }

    #[test]
    fn bad_weights_are_refused_with_a_hint() {
        assert!(
            ListWeights::parse("now_playing=1")
                .unwrap_err()
                .contains("popular, top_rated or trending")
        );
        assert!(
            ListWeights::parse("popular=-1")
                .unwrap_err()
                .contains("≥ 0")
        );
        assert!(
            ListWeights::parse("popular")
                .unwrap_err()
                .contains("list=weight")
        );
    }
}
