//! An in-memory copy of the catalog as `/recommend` reads it: every title with its vector
//! (of the serving embedding version) and its watch options (of the serving country), the
//! vectors packed for a nearest-neighbour scan (8-bit codes, then exact rescoring), and the
//! popularity orders that the prefilter, the trending prior and the cold start walk.
//!
//! The copy is tagged with the database's `catalog_version`; the serving layer only uses it
//! when it is at least as new as the version the request read, so it never serves data the
//! database has already replaced. Every reader here answers what the store's SQL query of
//! the same name answers (same filters, same order, same ties); building it is pure, and
//! loading and swapping live elsewhere.

use crate::catalog_filter::{CatalogFilter, FilterMatcher, GenreSet};
use crate::intent::title_link::{TitleEntry, TitleIndex};
use crate::item::{Item, ItemId, WatchOption};
use crate::lexical::{TextIndex, TextQuery};
use crate::trending::TrendingRow;
use crate::vector::{dot, dot_i8, dots_i8, quantize_i8};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

/// How many full-text matches are read when a filter will cut them.
const LEXICAL_DEPTH_FILTERED: usize = 500;

/// One title as hydration returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    pub item: Arc<Item>,
    /// The vector of the serving embedding version; `None` until the title is embedded.
    pub vector: Option<Arc<[f32]>>,
    /// One offer per service, best offer type first (see the store's offer preference).
    pub watch_options: Vec<WatchOption>,
}

/// A title as loaded: the entry and its `genre_keys` (lower-cased genre names, as the
/// `items.genre_keys` column holds them).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogTitle {
    pub entry: CatalogEntry,
    pub genre_keys: Vec<String>,
}

#[derive(Debug)]
struct Slot {
    item: Arc<Item>,
    genre_keys: Vec<String>,
    /// `genre_keys` as bits of the copy's genre dictionary.
    genre_bits: u128,
    watch_options: Vec<WatchOption>,
    /// Row in `vectors`; `None` for titles without a (usable) vector.
    row: Option<usize>,
}

/// The catalog at one `catalog_version`.
#[derive(Debug, Default)]
pub struct CatalogCopy {
    version: i64,
    slots: Vec<Slot>,
    /// Item id → position in `slots`.
    index: HashMap<ItemId, usize>,
    /// Genre key → bit of `Slot::genre_bits`; `None` when the catalog has more distinct
    /// genres than bits (filters then compare strings).
    genre_dictionary: Option<HashMap<String, u32>>,
    /// The vectors of embedded titles, by row.
    vectors: Vec<Arc<[f32]>>,
    /// The same rows quantised to 8 bits (a quarter of the memory traffic), with the factor
    /// turning a row's code dot product into its cosine (times the query's constant scale):
    /// the scan shortlists on these and re-scores the shortlist on `vectors`.
    codes: Vec<i8>,
    code_factors: Vec<f32>,
    dim: usize,
    row_ids: Vec<ItemId>,
    row_norms: Vec<f32>,
    /// Embedded titles (positions in `slots`) best-known first (prefilter order).
    prefilter_order: Vec<usize>,
    /// Each TMDB keyword (trimmed, lower-cased) → positions in `prefilter_order` of the
    /// embedded titles carrying it, ascending: a tagged prefilter run reads these lists
    /// instead of comparing every title's keywords.
    tag_index: HashMap<String, Vec<usize>>,
    /// Embedded titles in the trending query's order.
    trending_order: Vec<usize>,
    /// Embedded titles in the cold-start query's order.
    cold_start_order: Vec<usize>,
    /// Embedded titles by normalised name, for linking "like X" without TMDB.
    title_index: TitleIndex,
    /// The full-text index over the same titles (built by the serving layer, which owns the
    /// search engine); `None` until attached, and lexical retrieval then finds nothing.
    text_index: Option<Arc<dyn TextIndex>>,
}

impl CatalogCopy {
    /// Indexes `titles`, packs their vectors and sorts the popularity orders (the same
    /// keys as the SQL queries they replace). A vector whose length differs from the first
    /// one counts as no vector.
    pub fn new(version: i64, titles: Vec<CatalogTitle>) -> Self {
        let dim = titles
            .iter()
            .find_map(|t| t.entry.vector.as_ref().map(|v| v.len()))
            .unwrap_or(0);
        let (mut vectors, mut codes, mut code_factors) = (Vec::new(), Vec::new(), Vec::new());
        let (mut row_ids, mut row_norms) = (Vec::new(), Vec::new());
        let genre_dictionary = genre_dictionary(&titles);
        let mut slots = Vec::with_capacity(titles.len());
        let mut index = HashMap::with_capacity(titles.len());
        for t in titles {
            let CatalogEntry {
                item,
                vector,
                watch_options,
            } = t.entry;
            let row = vector.filter(|v| v.len() == dim && dim > 0).map(|v| {
                let norm = dot(&v, &v).sqrt();
                row_norms.push(norm);
                row_ids.push(item.id);
                let (row_codes, scale) = quantize_i8(&v);
                codes.extend_from_slice(&row_codes);
                code_factors.push(if norm > 0.0 { scale / norm } else { 0.0 });
                vectors.push(v);
                row_ids.len() - 1
            });
            index.insert(item.id, slots.len());
            let genre_bits = genre_dictionary
                .as_ref()
                .map_or(0, |d| genre_mask(d, &t.genre_keys));
            slots.push(Slot {
                item,
                genre_keys: t.genre_keys,
                genre_bits,
                watch_options,
                row,
            });
        }
        let embedded: Vec<usize> = row_ids.iter().map(|id| index[id]).collect();
        let order = |cmp: fn(&Item, &Item) -> Ordering| {
            let mut positions = embedded.clone();
            positions.sort_by(|a, b| cmp(&slots[*a].item, &slots[*b].item));
            positions
        };
        let prefilter_order = order(|a, b| {
            nulls_last_desc(a.vote_count, b.vote_count)
                .then(popularity_desc(a, b))
                .then(a.id.cmp(&b.id))
        });
        let trending_order = order(|a, b| {
            nulls_last(a.trending_rank, b.trending_rank)
                .then(nulls_last(a.popular_rank, b.popular_rank))
                .then(popularity_desc(a, b))
                .then(a.id.cmp(&b.id))
        });
        let cold_start_order = order(|a, b| {
            nulls_last(a.popular_rank, b.popular_rank)
                .then(nulls_last(a.trending_rank, b.trending_rank))
                .then(popularity_desc(a, b))
                .then(a.id.cmp(&b.id))
        });
        let mut tag_index: HashMap<String, Vec<usize>> = HashMap::new();
        for (rank, &slot) in prefilter_order.iter().enumerate() {
            for keyword in &slots[slot].item.keywords {
                let postings = tag_index.entry(keyword.trim().to_lowercase()).or_default();
                if postings.last() != Some(&rank) {
                    postings.push(rank);
                }
            }
        }
        let title_index = TitleIndex::new(embedded.iter().map(|&s| {
            let item = &slots[s].item;
            TitleEntry {
                id: item.id,
                media_type: item.media_type,
                title: item.title.clone(),
                popularity: item.popularity.unwrap_or(0.0),
            }
        }));
        CatalogCopy {
            version,
            slots,
            title_index,
            index,
            genre_dictionary,
            vectors,
            codes,
            code_factors,
            dim,
            row_ids,
            row_norms,
            prefilter_order,
            tag_index,
            trending_order,
            cold_start_order,
            text_index: None,
        }
    }

    /// Attaches the full-text index built over this copy's titles.
    pub fn with_text_index(mut self, index: Arc<dyn TextIndex>) -> Self {
        self.text_index = Some(index);
        self
    }

    /// The `limit` best full-text matches for `query` among embedded titles passing `filter`,
    /// best first, skipping `exclude`. The filter is the prefilter's, without its popularity
    /// cut: a rare word should find the obscure title that has it. Scores are the index's,
    /// comparable within one answer.
    pub fn lexical(
        &self,
        query: TextQuery<'_>,
        exclude: &HashSet<ItemId>,
        filter: Option<&CatalogFilter>,
        limit: usize,
    ) -> Vec<(ItemId, f64)> {
        let Some(index) = &self.text_index else {
            return Vec::new();
        };
        let empty = match query {
            TextQuery::Words(terms) => terms.trim().is_empty(),
            TextQuery::Related(seeds) => seeds.is_empty(),
        };
        if empty || limit == 0 {
            return Vec::new();
        }
        let filter = filter.map(|f| self.prepare(f));
        // With a filter many matches fail it: read deeper before filtering.
        let depth = if filter.is_some() {
            LEXICAL_DEPTH_FILTERED
        } else {
            limit.saturating_mul(2)
        };
        index
            .search(query, depth.max(limit))
            .into_iter()
            .filter(|(id, _)| !exclude.contains(id))
            .filter(|(id, _)| {
                self.slot(*id).is_some_and(|s| {
                    s.row.is_some() && filter.as_ref().is_none_or(|f| f.matches(s))
                })
            })
            .take(limit)
            .collect()
    }

    /// The embedded titles by name ("shows like Breaking Bad" links offline through it).
    pub fn title_index(&self) -> &TitleIndex {
        &self.title_index
    }

    /// The `catalog_version` this copy was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// Number of titles.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// One title with its vector and offers (a copy).
    pub fn get(&self, id: ItemId) -> Option<CatalogEntry> {
        self.slot(id).map(|slot| CatalogEntry {
            item: slot.item.clone(),
            vector: slot.row.map(|r| Arc::clone(&self.vectors[r])),
            watch_options: slot.watch_options.clone(),
        })
    }

    /// The title of `id`.
    pub fn title(&self, id: ItemId) -> Option<&str> {
        self.slot(id).map(|slot| slot.item.title.as_str())
    }

    /// The title and vector of `id`, when it has a vector.
    pub fn title_and_vector(&self, id: ItemId) -> Option<(&str, &[f32])> {
        let slot = self.slot(id)?;
        Some((slot.item.title.as_str(), self.vector(slot.row?)))
    }

    /// Whether `id` is in the copy.
    pub fn contains(&self, id: ItemId) -> bool {
        self.index.contains_key(&id)
    }

    fn prepare<'f>(&self, filter: &'f CatalogFilter) -> SlotFilter<'f> {
        let matcher = filter.matcher();
        let masks = self.genre_dictionary.as_ref().map(|d| GenreMasks {
            include: genre_mask(d, matcher.genres(GenreSet::Include)),
            // A required genre the catalog does not have: nothing can match.
            required: matcher
                .required_genres()
                .iter()
                .try_fold(0, |mask, k| d.get(k).map(|bit| mask | (1_u128 << bit))),
            exclude: genre_mask(d, matcher.genres(GenreSet::Exclude)),
        });
        SlotFilter { matcher, masks }
    }

    fn slot(&self, id: ItemId) -> Option<&Slot> {
        self.index.get(&id).map(|i| &self.slots[*i])
    }

    fn vector(&self, row: usize) -> &[f32] {
        &self.vectors[row]
    }

    /// The `limit` titles closest to `query` by cosine similarity, best first (ties by
    /// id), skipping `exclude`, only within `allow` when given: the ANN query's answer.
    ///
    /// Two passes: 8-bit codes shortlist `4·limit + 32` rows, then the shortlist is scored
    /// on the f32 vectors, so the similarities returned are exact and the order is exact
    /// unless quantisation error (~0.001 on unit vectors) exceeds the gap between the
    /// `limit`-th and the shortlist's last similarity. Pgvector's HNSW is approximate too.
    pub fn nearest(
        &self,
        query: &[f32],
        exclude: &HashSet<ItemId>,
        allow: Option<&[ItemId]>,
        limit: usize,
    ) -> Vec<(ItemId, f64)> {
        let q_norm = dot(query, query).sqrt();
        if query.len() != self.dim || q_norm == 0.0 || !q_norm.is_finite() || limit == 0 {
            return Vec::new();
        }
        // Excluded rows as a bitmap: one hash lookup per excluded id, none per row scanned.
        let mut skip = vec![false; self.row_ids.len()];
        for id in exclude {
            if let Some(row) = self.slot(*id).and_then(|s| s.row) {
                skip[row] = true;
            }
        }
        // The allowlist's rows in row (memory) order; without one, every row is scanned.
        let allowed: Option<Vec<usize>> = allow.map(|ids| {
            let mut rows: Vec<usize> = ids.iter().filter_map(|id| self.slot(*id)?.row).collect();
            rows.sort_unstable();
            rows.dedup();
            rows
        });
        let usable = |row: &usize| !skip[*row] && self.row_norms[*row] > 0.0;
        let shortlist_len = limit.saturating_mul(4).saturating_add(32);
        let total = allowed.as_ref().map_or(self.row_ids.len(), Vec::len);
        let shortlist: Vec<usize> = if total <= shortlist_len {
            match &allowed {
                Some(rows) => rows.iter().copied().filter(usable).collect(),
                None => (0..self.row_ids.len()).filter(usable).collect(),
            }
        } else {
            // The query's own scale is one positive factor for every row: the order
            // ignores it.
            let (q_codes, _) = quantize_i8(query);
            let approx =
                |row: usize, code_dot: i32| (code_dot as f32 * self.code_factors[row], row);
            let mut scored: Vec<(f32, usize)> = match &allowed {
                Some(rows) => rows
                    .iter()
                    .copied()
                    .filter(usable)
                    .map(|row| {
                        let codes = &self.codes[row * self.dim..(row + 1) * self.dim];
                        approx(row, dot_i8(&q_codes, codes))
                    })
                    .collect(),
                None => {
                    let mut dots = Vec::with_capacity(self.row_ids.len());
                    dots_i8(&q_codes, &self.codes, &mut dots);
                    dots.into_iter()
                        .enumerate()
                        .filter(|(row, _)| usable(row))
                        .map(|(row, code_dot)| approx(row, code_dot))
                        .collect()
                }
            };
            // The best `shortlist_len` in linear time (higher first, ties to the lower row).
            if scored.len() > shortlist_len {
                scored.select_nth_unstable_by(shortlist_len - 1, |a, b| {
                    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
                });
                scored.truncate(shortlist_len);
            }
            scored.into_iter().map(|(_, row)| row).collect()
        };
        let mut best = TopK::new(limit);
        for row in shortlist {
            let sim = dot(query, self.vector(row)) / (q_norm * self.row_norms[row]);
            if sim.is_finite() {
                best.offer(sim, self.row_ids[row]);
            }
        }
        best.into_sorted()
    }

    /// Embedded titles passing `filter`, known matches first (a constrained runtime, year
    /// or language known), then best-known first (most votes, then most popular: the
    /// prefilter).
    pub fn prefilter_ids(&self, filter: &CatalogFilter, limit: usize) -> Vec<ItemId> {
        let prepared = self.prepare(filter);
        let passing: Box<dyn Iterator<Item = usize> + '_> = if filter.tags.is_empty() {
            Box::new(self.prefilter_order.iter().copied())
        } else {
            // Only the titles carrying a tag, in prefilter order.
            let mut ranks: Vec<usize> = filter
                .tags
                .iter()
                .filter_map(|t| self.tag_index.get(&t.trim().to_lowercase()))
                .flatten()
                .copied()
                .collect();
            ranks.sort_unstable();
            ranks.dedup();
            Box::new(ranks.into_iter().map(|r| self.prefilter_order[r]))
        };
        let (mut known, mut unknown) = (Vec::new(), Vec::new());
        for slot in passing.map(|i| &self.slots[i]) {
            if known.len() >= limit {
                break;
            }
            if !prepared.matches(slot) {
                continue;
            }
            if prepared.matcher.scalars_known(&slot.item) {
                known.push(slot.item.id);
            } else if unknown.len() < limit {
                unknown.push(slot.item.id);
            }
        }
        known.extend(unknown);
        known.truncate(limit);
        known
    }

    /// Rows for the trending prior: embedded titles within `allow` (when given) passing
    /// `filter`, not in `exclude`, best first.
    pub fn trending_rows(
        &self,
        filter: &CatalogFilter,
        allow: Option<&[ItemId]>,
        exclude: &HashSet<ItemId>,
        limit: usize,
    ) -> Vec<TrendingRow> {
        let allow: Option<HashSet<ItemId>> = allow.map(|a| a.iter().copied().collect());
        let filter = self.prepare(filter);
        self.walk(&self.trending_order, exclude, |s| {
            allow.as_ref().is_none_or(|a| a.contains(&s.item.id)) && filter.matches(s)
        })
        .take(limit)
        .map(|item| TrendingRow {
            id: item.id,
            trending_rank: item.trending_rank,
            popular_rank: item.popular_rank,
            popularity: item.popularity,
        })
        .collect()
    }

    /// Cold-start candidates: embedded titles within `allow` when given (else passing
    /// `filter`), not in `exclude`, most popular first.
    pub fn cold_start_ids(
        &self,
        filter: &CatalogFilter,
        allow: Option<&[ItemId]>,
        exclude: &HashSet<ItemId>,
        limit: usize,
    ) -> Vec<ItemId> {
        let allow: Option<HashSet<ItemId>> = allow.map(|a| a.iter().copied().collect());
        let filter = self.prepare(filter);
        self.walk(&self.cold_start_order, exclude, |s| match &allow {
            Some(a) => a.contains(&s.item.id),
            None => filter.matches(s),
        })
        .take(limit)
        .map(|item| item.id)
        .collect()
    }

    fn walk<'a>(
        &'a self,
        order: &'a [usize],
        exclude: &'a HashSet<ItemId>,
        keep: impl Fn(&Slot) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Item> + 'a {
        order
            .iter()
            .map(|i| &self.slots[*i])
            .filter(move |s| !exclude.contains(&s.item.id) && keep(s))
            .map(|s| &*s.item)
    }
}

/// A filter prepared against one copy: genre tests become bitmask tests.
struct SlotFilter<'f> {
    matcher: FilterMatcher<'f>,
    /// The genre lists as bitmasks, when the copy has a genre dictionary.
    masks: Option<GenreMasks>,
}

struct GenreMasks {
    include: u128,
    /// `None` when a required genre is not in the dictionary.
    required: Option<u128>,
    exclude: u128,
}

impl SlotFilter<'_> {
    fn matches(&self, slot: &Slot) -> bool {
        let m = &self.matcher;
        m.media_type_ok(slot.item.media_type)
            && match self.masks {
                // A wanted genre the catalog does not have sets no bit, so it matches
                // nothing: the same answer as the string search.
                Some(GenreMasks {
                    include,
                    required,
                    exclude,
                }) => m.genres_ok(
                    |set| {
                        let mask = match set {
                            GenreSet::Include => include,
                            GenreSet::Exclude => exclude,
                        };
                        slot.genre_bits & mask != 0
                    },
                    |_| required.is_some_and(|mask| slot.genre_bits & mask == mask),
                ),
                None => m.genres_ok(
                    |set| m.genres(set).iter().any(|g| slot.genre_keys.contains(g)),
                    |required| required.iter().all(|g| slot.genre_keys.contains(g)),
                ),
            }
            && m.scalars_ok(&slot.item)
            && m.tags_ok(&slot.item)
    }
}

/// One bit per distinct genre key, when there are at most 128 of them.
fn genre_dictionary(titles: &[CatalogTitle]) -> Option<HashMap<String, u32>> {
    let mut dictionary: HashMap<String, u32> = HashMap::new();
    for key in titles.iter().flat_map(|t| &t.genre_keys) {
        if !dictionary.contains_key(key) {
            let bit = u32::try_from(dictionary.len())
                .ok()
                .filter(|b| *b < u128::BITS)?;
            dictionary.insert(key.clone(), bit);
        }
    }
    Some(dictionary)
}

fn genre_mask(dictionary: &HashMap<String, u32>, keys: &[String]) -> u128 {
    keys.iter()
        .filter_map(|k| dictionary.get(k))
        .fold(0, |mask, bit| mask | (1_u128 << bit))
}

/// The best `k` (similarity, id) pairs seen: higher similarity first, ties to the lower id.
struct TopK<T> {
    k: usize,
    /// Min-heap on "goodness", so the worst kept pair is on top.
    heap: BinaryHeap<Reverse<Scored<T>>>,
}

#[derive(PartialEq)]
struct Scored<T>(f32, T);

impl<T: Ord> Eq for Scored<T> {}

impl<T: Ord> PartialOrd for Scored<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> Ord for Scored<T> {
    /// Greater is better: higher similarity, then lower id.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

impl<T: Ord> TopK<T> {
    fn new(k: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    fn offer(&mut self, sim: f32, id: T) {
        let candidate = Scored(sim, id);
        if self.heap.len() < self.k {
            self.heap.push(Reverse(candidate));
        } else if self
            .heap
            .peek()
            .is_some_and(|Reverse(worst)| candidate > *worst)
        {
            self.heap.pop();
            self.heap.push(Reverse(candidate));
        }
    }

    fn into_sorted(self) -> Vec<(T, f64)> {
        // Ascending `Reverse` order is best first.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(Scored(sim, id))| (id, f64::from(sim)))
            .collect()
    }
}

/// `DESC NULLS LAST`.
fn nulls_last_desc(a: Option<i32>, b: Option<i32>) -> Ordering {
    nulls_last(a.map(Reverse), b.map(Reverse))
}

/// `ASC NULLS LAST`.
fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `popularity DESC NULLS LAST` as Postgres orders float8: NaN above every number, and
/// -0 equal to 0 (`total_cmp` would split them).
fn popularity_desc(a: &Item, b: &Item) -> Ordering {
    match (a.popularity, b.popularity) {
        (Some(x), Some(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::MediaType;
    use crate::lexical::SeedText;

    fn title(
        id: ItemId,
        trending: Option<i32>,
        popular: Option<i32>,
        popularity: Option<f64>,
        vector: Option<Vec<f32>>,
    ) -> CatalogTitle {
        let mut item = Item::bare(id, MediaType::Movie, "t");
        item.trending_rank = trending;
        item.popular_rank = popular;
        item.popularity = popularity;
        CatalogTitle {
            entry: CatalogEntry {
                item: item.into(),
                vector: vector.map(Into::into),
                watch_options: Vec::new(),
            },
            genre_keys: if id % 2 == 0 {
                vec!["drama".into()]
            } else {
                vec!["comedy".into()]
            },
        }
    }

    fn copy() -> CatalogCopy {
        CatalogCopy::new(7, copy_titles())
    }

    fn copy_titles() -> Vec<CatalogTitle> {
        let v = |x: f32, y: f32| Some(vec![x, y]);
        vec![
            title(1, None, None, Some(50.0), v(1.0, 0.0)),
            title(2, Some(3), None, Some(10.0), v(0.0, 1.0)),
            title(3, Some(1), Some(5), None, v(1.0, 1.0)),
            title(4, None, Some(2), Some(80.0), v(-1.0, 0.0)),
            title(5, None, None, None, v(2.0, 0.1)),
            title(6, None, None, Some(50.0), v(1.0, 0.0)),
            // Not embedded: in the copy for hydration, never a candidate.
            title(9, Some(1), Some(1), Some(999.0), None),
        ]
    }

    fn none() -> HashSet<ItemId> {
        HashSet::new()
    }

    /// A text index answering every search with the same hits.
    #[derive(Debug)]
    struct FixedHits(Vec<(ItemId, f64)>);

    impl TextIndex for FixedHits {
        fn search(&self, _query: TextQuery<'_>, limit: usize) -> Vec<(ItemId, f64)> {
            self.0.iter().copied().take(limit).collect()
        }
    }

    #[test]
    fn lexical_hits_skip_exclusions_unembedded_titles_and_filter_failures() {
        let hits = vec![(9, 1.0), (2, 0.9), (1, 0.8), (4, 0.7), (3, 0.6)];
        let copy = copy().with_text_index(Arc::new(FixedHits(hits)));
        let exclude: HashSet<ItemId> = [1].into();
        assert_eq!(
            copy.lexical(TextQuery::Words("x"), &exclude, None, 10),
            vec![(2, 0.9), (4, 0.7), (3, 0.6)]
        );
        let drama = CatalogFilter {
            include_genres: vec!["drama".into()],
            ..CatalogFilter::default()
        };
        assert_eq!(
            copy.lexical(TextQuery::Words("x"), &none(), Some(&drama), 10),
            vec![(2, 0.9), (4, 0.7)]
        );
        assert_eq!(
            copy.lexical(TextQuery::Words("x"), &none(), None, 1),
            vec![(2, 0.9)]
        );
        assert!(
            copy.lexical(TextQuery::Words("  "), &none(), None, 10)
                .is_empty()
        );
        assert!(
            CatalogCopy::default()
                .lexical(TextQuery::Words("x"), &none(), None, 10)
                .is_empty()
        );
        assert!(
            copy.lexical(TextQuery::Related(&SeedText::default()), &none(), None, 10)
                .is_empty()
        );
    }

    #[test]
    fn trending_order_is_rank_then_popular_then_popularity_then_id() {
        let rows = copy().trending_rows(&CatalogFilter::default(), None, &none(), 10);
        let ids: Vec<ItemId> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![3, 2, 4, 1, 6, 5]);
        assert_eq!(rows[0].popular_rank, Some(5));
    }

    #[test]
    fn cold_start_order_puts_the_popular_list_first() {
        let ids = copy().cold_start_ids(&CatalogFilter::default(), None, &none(), 10);
        assert_eq!(ids, vec![4, 3, 2, 1, 6, 5]);
    }

    #[test]
    fn the_prefilter_puts_the_most_voted_first_then_the_most_popular() {
        let mut titles = copy_titles();
        for t in &mut titles {
            let item = Arc::make_mut(&mut t.entry.item);
            // 2 and 6 tie on votes (popularity decides), 4 has none (last).
            item.vote_count = match item.id {
                2 | 6 => Some(500),
                4 => None,
                _ => Some(100),
            };
        }
        let s = CatalogCopy::new(7, titles);
        let drama = CatalogFilter {
            include_genres: vec!["Drama".into()],
            ..Default::default()
        };
        assert_eq!(s.prefilter_ids(&drama, 10), vec![6, 2, 4]);
    }

    #[test]
    fn the_prefilter_puts_titles_of_unknown_runtime_after_known_matches() {
        let mut titles = copy_titles();
        for t in &mut titles {
            let item = Arc::make_mut(&mut t.entry.item);
            // 6, the best-known drama, has no runtime: it may be short, 2 and 4 are.
            (item.vote_count, item.runtime) = match item.id {
                6 => (Some(900), None),
                2 => (Some(500), Some(90)),
                4 => (Some(100), Some(80)),
                _ => (Some(100), Some(200)),
            };
        }
        let s = CatalogCopy::new(7, titles);
        let short_drama = CatalogFilter {
            include_genres: vec!["Drama".into()],
            runtime_max: Some(100),
            ..Default::default()
        };
        assert_eq!(s.prefilter_ids(&short_drama, 10), vec![2, 4, 6]);
        assert_eq!(s.prefilter_ids(&short_drama, 2), vec![2, 4]);
        // Without a runtime constraint, votes alone decide.
        let drama = CatalogFilter {
            runtime_max: None,
            ..short_drama
        };
        assert_eq!(s.prefilter_ids(&drama, 10), vec![6, 2, 4]);
    }

    #[test]
    fn filters_allowlists_exclusions_and_limits_apply() {
        let s = copy();
        let exclude: HashSet<ItemId> = [3, 4].into_iter().collect();
        assert_eq!(
            s.cold_start_ids(&CatalogFilter::default(), None, &exclude, 2),
            vec![2, 1]
        );
        let drama = CatalogFilter {
            include_genres: vec!["Drama".into()],
            ..Default::default()
        };
        assert_eq!(s.prefilter_ids(&drama, 10), vec![4, 6, 2]);
        let rows = s.trending_rows(&drama, Some(&[2, 3, 6]), &none(), 10);
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2, 6]);
        // The cold start's allowlist replaces the filter, as in SQL.
        assert_eq!(
            s.cold_start_ids(&drama, Some(&[1, 3]), &none(), 10),
            vec![3, 1]
        );
        assert!(s.get(9).is_some_and(|e| e.vector.is_none()));
        assert!(!s.prefilter_ids(&CatalogFilter::default(), 100).contains(&9));
        assert_eq!((s.version(), s.len()), (7, 7));
    }

    #[test]
    fn nearest_is_exact_cosine_best_first_with_ties_by_id() {
        let s = copy();
        let hits = s.nearest(&[3.0, 0.0], &none(), None, 4);
        let ids: Vec<ItemId> = hits.iter().map(|h| h.0).collect();
        // 1 and 6 are identical (cosine 1), then 5, then 3.
        assert_eq!(ids, vec![1, 6, 5, 3]);
        assert!((hits[0].1 - 1.0).abs() < 1e-6);
        assert!((hits[3].1 - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        let exclude: HashSet<ItemId> = [1].into_iter().collect();
        let within = s.nearest(&[3.0, 0.0], &exclude, Some(&[1, 2, 4, 9]), 10);
        assert_eq!(within.iter().map(|h| h.0).collect::<Vec<_>>(), vec![2, 4]);
        assert!(s.nearest(&[0.0, 0.0], &none(), None, 4).is_empty());
        assert!(s.nearest(&[1.0, 0.0, 0.0], &none(), None, 4).is_empty());
    }

    /// Unit vectors from a fixed pseudo-random sequence (no RNG dependency needed).
    fn pseudo_random_unit(seed: u64, dim: usize) -> Vec<f32> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let v: Vec<f32> = (0..dim)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % 2001) as f32 / 1000.0 - 1.0
            })
            .collect();
        crate::vector::normalized(&v)
    }

    #[test]
    fn the_quantised_shortlist_finds_the_exact_top_k() {
        let titles: Vec<CatalogTitle> = (1..=3000)
            .map(|id| {
                title(
                    id,
                    None,
                    None,
                    None,
                    Some(pseudo_random_unit(id as u64, 384)),
                )
            })
            .collect();
        let s = CatalogCopy::new(1, titles.clone());
        let exclude: HashSet<ItemId> = (1..=3000).step_by(7).collect();
        for seed in [11_u64, 22, 33, 44, 55] {
            // A query near a catalog vector, like a taste vector near the titles watched.
            let anchor = pseudo_random_unit(seed, 384);
            let noise = pseudo_random_unit(seed + 1000, 384);
            let query: Vec<f32> = anchor
                .iter()
                .zip(&noise)
                .map(|(a, n)| a + 0.5 * n)
                .collect();
            let mut exact: Vec<(ItemId, f32)> = titles
                .iter()
                .filter(|t| !exclude.contains(&t.entry.item.id))
                .map(|t| {
                    let v = t.entry.vector.as_deref().unwrap_or_default();
                    (t.entry.item.id, crate::vector::cosine(&query, v))
                })
                .collect();
            exact.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let want: Vec<ItemId> = exact.iter().take(60).map(|h| h.0).collect();
            let got = s.nearest(&query, &exclude, None, 60);
            assert_eq!(got.iter().map(|h| h.0).collect::<Vec<_>>(), want);
            assert!((got[0].1 - f64::from(exact[0].1)).abs() < 1e-5);
        }
    }
}
