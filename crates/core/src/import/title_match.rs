//! Finding an export's title in the catalog: by id when the export has one, else by
//! normalised title and year. Several equally good candidates are reported, never guessed.
//!
//! Order of evidence: TMDB id (Trakt, webhooks), IMDb id (IMDb, Trakt, webhooks; when two
//! catalog titles share an IMDb id the title and year decide between them), then the title:
//! the export's title and original title against the catalog's titles first, the catalog's
//! original titles as the fallback. Among title candidates the release year must be equal,
//! else within one year (festival versus release dates); two candidates at the same step
//! make the row ambiguous. When the export does not say movie or TV, films are tried first.
//!
//! Normalisation ([`normalise_title`]) folds case and diacritics (`Léon` = `Leon`), drops
//! punctuation and a leading English article, and turns `&` into `and`: `The Office`,
//! `Office, The` and `office` are one key. Typos are not corrected: a near miss is unmatched.

use super::TitleRef;
use crate::item::{ItemId, MediaType};
use serde::Serialize;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How far apart the export's year and the catalog's may be.
pub const YEAR_TOLERANCE: i32 = 1;

/// What the matcher needs to know about one catalog title.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogTitle {
    /// `items.id`.
    pub id: ItemId,
    /// TMDB id (movie or TV space, per `media`).
    pub tmdb_id: i32,
    /// Movie or TV.
    pub media: MediaType,
    /// Display title.
    pub title: String,
    /// Original-language title, when the catalog has one.
    pub original_title: Option<String>,
    /// Release year (first air year for TV).
    pub year: Option<i32>,
    /// `tt…` IMDb id.
    pub imdb_id: Option<String>,
}

/// A catalog title offered as one of several equally good matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// `items.id`.
    pub id: ItemId,
    /// Display title.
    pub title: String,
    /// Release year.
    pub year: Option<i32>,
    /// Movie or TV.
    pub media: MediaType,
}

/// Why a row has no catalog title.
#[derive(Debug, Clone, PartialEq)]
pub enum NoMatch {
    /// No title of that name (nor id) in the catalog.
    NotFound,
    /// Titles of that name exist, but none within a year of the export's.
    OtherYears(Vec<i32>),
    /// Several titles fit equally well.
    Ambiguous(Vec<Candidate>),
}

impl NoMatch {
    /// A sentence for the unmatched list.
    pub fn reason(&self) -> String {
        match self {
            NoMatch::NotFound => "not in the catalog".to_owned(),
            NoMatch::OtherYears(years) => format!(
                "the catalog has this title only from other years ({})",
                join(years.iter().map(ToString::to_string))
            ),
            NoMatch::Ambiguous(candidates) => format!(
                "ambiguous: {}",
                join(candidates.iter().map(|c| format!(
                    "{} ({}, {}, id {})",
                    c.title,
                    c.year.map_or_else(|| "no year".to_owned(), |y| y.to_string()),
                    c.media,
                    c.id
                )))
            ),
        }
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(", ")
}

/// The catalog's titles, indexed by id and by normalised title.
#[derive(Debug, Clone, Default)]
pub struct TitleIndex {
    titles: Vec<CatalogTitle>,
    by_title: HashMap<String, Vec<usize>>,
    by_original: HashMap<String, Vec<usize>>,
    by_imdb: HashMap<String, Vec<usize>>,
    by_tmdb: HashMap<(MediaType, i32), usize>,
}

impl TitleIndex {
    /// Indexes `titles` (the whole catalog: ~20k titles take a few MB).
    pub fn new(titles: Vec<CatalogTitle>) -> Self {
        let mut index = TitleIndex::default();
        for (i, t) in titles.iter().enumerate() {
            index
                .by_title
                .entry(normalise_title(&t.title))
                .or_default()
                .push(i);
            if let Some(original) = &t.original_title {
                let key = normalise_title(original);
                if key != normalise_title(&t.title) {
                    index.by_original.entry(key).or_default().push(i);
                }
            }
            if let Some(imdb) = &t.imdb_id {
                index
                    .by_imdb
                    .entry(imdb.to_lowercase())
                    .or_default()
                    .push(i);
            }
            index.by_tmdb.insert((t.media, t.tmdb_id), i);
        }
        index.titles = titles;
        index
    }

    /// Titles indexed.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// True when the catalog is empty.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// The catalog title `wanted` refers to (see the module doc for the order of evidence).
    pub fn find(&self, wanted: &TitleRef) -> Result<ItemId, NoMatch> {
        if let Some(tmdb) = wanted.tmdb_id {
            let hits: Vec<usize> = media_order(wanted.media)
                .iter()
                .filter_map(|m| self.by_tmdb.get(&(*m, tmdb)).copied())
                .collect();
            if let [one] = hits.as_slice() {
                return Ok(self.titles[*one].id);
            }
        }
        if let Some(imdb) = &wanted.imdb_id {
            let hits: Vec<usize> = self
                .by_imdb
                .get(&imdb.trim().to_lowercase())
                .into_iter()
                .flatten()
                .copied()
                .filter(|i| wanted.media.is_none_or(|m| self.titles[*i].media == m))
                .collect();
            match hits.as_slice() {
                [] => {}
                [one] => return Ok(self.titles[*one].id),
                // The catalog holds the same IMDb id twice (it happens in TMDB data): the
                // title and year decide, and if they cannot, the row is ambiguous.
                several => {
                    let by_title = self.find_by_title(wanted);
                    return match by_title {
                        Ok(id) if several.iter().any(|i| self.titles[*i].id == id) => Ok(id),
                        _ => Err(NoMatch::Ambiguous(self.candidates(several))),
                    };
                }
            }
        }
        self.find_by_title(wanted)
    }

    /// Title + year, films first when the media type is unknown.
    fn find_by_title(&self, wanted: &TitleRef) -> Result<ItemId, NoMatch> {
        let keys: Vec<String> = std::iter::once(wanted.title.as_str())
            .chain(wanted.original_title.as_deref())
            .map(normalise_title)
            .filter(|k| !k.is_empty())
            .collect();
        let mut failure = NoMatch::NotFound;
        for media in media_order(wanted.media) {
            for field in [&self.by_title, &self.by_original] {
                let mut cands: Vec<usize> = keys
                    .iter()
                    .filter_map(|k| field.get(k))
                    .flatten()
                    .copied()
                    .filter(|i| self.titles[*i].media == *media)
                    .collect();
                cands.sort_unstable();
                cands.dedup();
                if cands.is_empty() {
                    continue;
                }
                match self.pick_by_year(&cands, wanted.year) {
                    Ok(i) => return Ok(self.titles[i].id),
                    // An ambiguity is final; other years let the next field or media try.
                    Err(NoMatch::Ambiguous(c)) => return Err(NoMatch::Ambiguous(c)),
                    Err(NoMatch::OtherYears(mut years)) => {
                        if let NoMatch::OtherYears(earlier) = &failure {
                            years.extend(earlier);
                        }
                        years.sort_unstable();
                        years.dedup();
                        failure = NoMatch::OtherYears(years);
                    }
                    Err(NoMatch::NotFound) => {}
                }
            }
        }
        Err(failure)
    }

    /// The one candidate of the year, else the one within the tolerance.
    fn pick_by_year(&self, cands: &[usize], year: Option<i32>) -> Result<usize, NoMatch> {
        let Some(year) = year else {
            return match cands {
                [one] => Ok(*one),
                several => Err(NoMatch::Ambiguous(self.candidates(several))),
            };
        };
        for tolerance in [0, YEAR_TOLERANCE] {
            let close: Vec<usize> = cands
                .iter()
                .copied()
                .filter(|i| {
                    self.titles[*i]
                        .year
                        .is_some_and(|y| (y - year).abs() <= tolerance)
                })
                .collect();
            match close.as_slice() {
                [] => {}
                [one] => return Ok(*one),
                several => return Err(NoMatch::Ambiguous(self.candidates(several))),
            }
        }
        Err(NoMatch::OtherYears(
            cands.iter().filter_map(|i| self.titles[*i].year).collect(),
        ))
    }

    fn candidates(&self, indexes: &[usize]) -> Vec<Candidate> {
        indexes
            .iter()
            .map(|i| {
                let t = &self.titles[*i];
                Candidate {
                    id: t.id,
                    title: t.title.clone(),
                    year: t.year,
                    media: t.media,
                }
            })
            .collect()
    }
}

/// The media types to try, in order.
fn media_order(media: Option<MediaType>) -> &'static [MediaType] {
    match media {
        Some(MediaType::Movie) => &[MediaType::Movie],
        Some(MediaType::Tv) => &[MediaType::Tv],
        None => &[MediaType::Movie, MediaType::Tv],
    }
}

/// The comparison key of a title: lower case, no diacritics, no punctuation, `&` as `and`,
/// no leading (or trailing `, The`) English article and no trailing `(…)` qualifier.
pub fn normalise_title(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    for c in raw.nfkd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ø' | 'Ø' => text.push('o'),
            'æ' | 'Æ' => text.push_str("ae"),
            'œ' | 'Œ' => text.push_str("oe"),
            'ß' => text.push_str("ss"),
            'ł' | 'Ł' => text.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => text.push('d'),
            'þ' | 'Þ' => text.push_str("th"),
            '&' => text.push_str(" and "),
            // Apostrophes join ("Ocean's" = "Oceans"); other punctuation separates words.
            '\'' | '’' | '‘' | '`' => {}
            c if c.is_alphanumeric() => text.extend(c.to_lowercase()),
            _ => text.push(' '),
        }
    }
    let trimmed_raw = raw.trim_end();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // "The Office (US)", "Dune (2021)": the qualifier is not part of the title.
    if trimmed_raw.ends_with(')') && trimmed_raw.contains('(') {
        let qualifier_words = trimmed_raw
            .rsplit_once('(')
            .map(|(_, q)| normalise_words(q).len())
            .unwrap_or_default();
        if qualifier_words < words.len() {
            words.truncate(words.len() - qualifier_words);
        }
    }
    if words.len() > 1 && words.last() == Some(&"the") && trimmed_raw.contains(',') {
        words.pop();
    }
    if words.len() > 1 && matches!(words[0], "the" | "a" | "an") {
        words.remove(0);
    }
    words.join(" ")
}

fn normalise_words(raw: &str) -> Vec<String> {
    raw.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
#[path = "title_match_tests.rs"]
mod tests;
