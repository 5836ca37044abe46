//! The text each catalog item is embedded from (spec data-etl-ui §3.2).
//!
//! Four templates (`basic`, `structured`, `natural`, `emphasized`) render title, genres, year,
//! decade, era and overview. The output must stay byte-identical to the original's, or every
//! stored vector drifts, so the odd spacing (two spaces in `natural`, the NULL overview rendered
//! as `None`) is kept on purpose. One change: the era is computed from a `current_year`
//! argument instead of a hard-coded 2025; with `current_year = 2025` the output is the original's.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::item::Item;

/// Overviews longer than this many characters (code points) are cut and get `...`.
pub const MAX_OVERVIEW_CHARS: usize = 800;

/// How the overview of an item with no overview is rendered (the original's Python `None`).
const NULL_OVERVIEW: &str = "None";

/// One of the four embedding text templates (`EMBED_TEMPLATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EmbedTemplate {
    /// `[G1, G2] [Era] (Y • Ds) title :: overview` (the default).
    #[default]
    Basic,
    /// Six `Key: value` lines.
    Structured,
    /// `title is a G1 and G2  from the Era era movie/show. overview`.
    Natural,
    /// `title #G1 #G2 #Ds #Era :: overview`.
    Emphasized,
}

/// `EMBED_TEMPLATE` named no known template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unknown template: {name} (valid templates: basic, structured, natural, emphasized)")]
pub struct UnknownTemplate {
    /// The name that was given.
    pub name: String,
}

impl EmbedTemplate {
    /// Every template, in documentation order.
    pub const ALL: [EmbedTemplate; 4] = [
        EmbedTemplate::Basic,
        EmbedTemplate::Structured,
        EmbedTemplate::Natural,
        EmbedTemplate::Emphasized,
    ];

    /// Parses a template name exactly as the original did (lower-case, no trimming).
    pub fn parse(name: &str) -> Result<Self, UnknownTemplate> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| UnknownTemplate {
                name: name.to_owned(),
            })
    }

    /// The template's name as `EMBED_TEMPLATE` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            EmbedTemplate::Basic => "basic",
            EmbedTemplate::Structured => "structured",
            EmbedTemplate::Natural => "natural",
            EmbedTemplate::Emphasized => "emphasized",
        }
    }

    /// Renders `fields` with this template; `current_year` decides the era (see [`era`]).
    pub fn render(self, fields: &EmbedFields<'_>, current_year: i32) -> String {
        let title = fields.title;
        let overview = overview_text(fields.overview);
        let genres: Vec<&str> = fields
            .genres
            .iter()
            .copied()
            .filter(|g| !g.is_empty())
            .collect();
        let year = fields.release_year.filter(|y| *y != 0);
        let era = year.map(|y| era(y, current_year));
        let decade = year.map(decade);
        match self {
            EmbedTemplate::Basic => {
                let mut out = String::new();
                if !genres.is_empty() {
                    out.push_str(&format!("[{}] ", genres.join(", ")));
                }
                if let Some(era) = era {
                    out.push_str(&format!("[{era}] "));
                }
                if let (Some(y), Some(d)) = (year, &decade) {
                    out.push_str(&format!("({y} \u{2022} {d}) "));
                }
                out.push_str(&format!("{title} :: {overview}"));
                out
            }
            EmbedTemplate::Structured => {
                let year = year.map_or_else(|| "Unknown".to_owned(), |y| y.to_string());
                let genres = if genres.is_empty() {
                    "None".to_owned()
                } else {
                    genres.join(", ")
                };
                [
                    format!("Title: {title}"),
                    format!("Year: {year}"),
                    format!("Era: {}", era.unwrap_or("Unknown")),
                    format!("Decade: {}", decade.as_deref().unwrap_or("Unknown")),
                    format!("Genres: {genres}"),
                    format!("Overview: {overview}"),
                ]
                .join("\n")
            }
            EmbedTemplate::Natural => {
                let genres = if genres.is_empty() {
                    "no specific genre".to_owned()
                } else {
                    genres.join(" and ")
                };
                let era_part = era.map_or_else(String::new, |e| format!(" from the {e} era"));
                format!("{title} is a {genres} {era_part} movie/show. {overview}")
            }
            EmbedTemplate::Emphasized => {
                let genre_tags: Vec<String> = genres.iter().map(|g| format!("#{g}")).collect();
                let time_tags: Vec<String> = decade
                    .iter()
                    .map(String::as_str)
                    .chain(era)
                    .map(|t| format!("#{t}"))
                    .collect();
                let time_block = if time_tags.is_empty() {
                    String::new()
                } else {
                    format!(" {}", time_tags.join(" "))
                };
                format!("{title} {}{time_block} :: {overview}", genre_tags.join(" "))
            }
        }
    }
}

impl fmt::Display for EmbedTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EmbedTemplate {
    type Err = UnknownTemplate;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The item columns a template reads (`runtime` and `media_type` are unused by every template).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedFields<'a> {
    /// Title as stored.
    pub title: &'a str,
    /// Overview; `None` renders as the text `None` (kept for vector compatibility).
    pub overview: Option<&'a str>,
    /// Genre names in catalog order; empty names are skipped.
    pub genres: &'a [&'a str],
    /// Release year; `None` and `0` both mean unknown.
    pub release_year: Option<i32>,
}

/// Renders the embedding text of a catalog item.
pub fn build_text(item: &Item, template: EmbedTemplate, current_year: i32) -> String {
    let genres: Vec<&str> = item.genre_names().collect();
    let fields = EmbedFields {
        title: &item.title,
        overview: item.overview.as_deref(),
        genres: &genres,
        release_year: item.release_year,
    };
    template.render(&fields, current_year)
}

/// The overview as templates print it: cut at [`MAX_OVERVIEW_CHARS`] code points plus `...`,
/// and the literal `None` when the column is NULL.
pub fn overview_text(overview: Option<&str>) -> String {
    match overview {
        None => NULL_OVERVIEW.to_owned(),
        Some(text) => match text.char_indices().nth(MAX_OVERVIEW_CHARS) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text.to_owned(),
        },
    }
}

/// Era label of a (non-zero) release year relative to `current_year`.
///
/// The bands are the original's, measured back from its hard-coded 2025: `Upcoming` from
/// `current_year` on, then `Contemporary` (5 years), `Recent` (15), `Modern` (35), `Classic` (55),
/// else `Vintage`.
pub fn era(year: i32, current_year: i32) -> &'static str {
    let age = current_year - year;
    match age {
        a if a <= 0 => "Upcoming",
        a if a <= 5 => "Contemporary",
        a if a <= 15 => "Recent",
        a if a <= 35 => "Modern",
        a if a <= 55 => "Classic",
        _ => "Vintage",
    }
}

/// Decade label of a year: `1999` → `1990s`.
pub fn decade(year: i32) -> String {
    format!("{}s", year.div_euclid(10) * 10)
}

/// SHA-256 of the text, lower-case hex: tells the embed job which items need new vectors.
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MATRIX_GENRES: [&str; 2] = ["Science Fiction", "Action"];

    fn matrix() -> EmbedFields<'static> {
        EmbedFields {
            title: "The Matrix",
            overview: Some("A hacker learns."),
            genres: &MATRIX_GENRES,
            release_year: Some(1999),
        }
    }

    fn bare_x() -> EmbedFields<'static> {
        EmbedFields {
            title: "X",
            overview: None,
            genres: &[],
            release_year: None,
        }
    }

    #[test]
    fn basic_renders_the_verified_matrix_text() {
        assert_eq!(
            EmbedTemplate::Basic.render(&matrix(), 2025),
            "[Science Fiction, Action] [Modern] (1999 \u{2022} 1990s) The Matrix :: A hacker learns."
        );
    }

    #[test]
    fn structured_renders_the_verified_matrix_text() {
        assert_eq!(
            EmbedTemplate::Structured.render(&matrix(), 2025),
            "Title: The Matrix\nYear: 1999\nEra: Modern\nDecade: 1990s\n\
             Genres: Science Fiction, Action\nOverview: A hacker learns."
        );
    }

    #[test]
    fn natural_renders_the_verified_matrix_text_with_two_spaces() {
        assert_eq!(
            EmbedTemplate::Natural.render(&matrix(), 2025),
            "The Matrix is a Science Fiction and Action  from the Modern era movie/show. A hacker learns."
        );
    }

    #[test]
    fn emphasized_renders_the_verified_matrix_text() {
        assert_eq!(
            EmbedTemplate::Emphasized.render(&matrix(), 2025),
            "The Matrix #Science Fiction #Action #1990s #Modern :: A hacker learns."
        );
    }

    #[test]
    fn a_null_overview_renders_as_none_in_every_template() {
        let x = bare_x();
        assert_eq!(EmbedTemplate::Basic.render(&x, 2025), "X :: None");
        assert!(
            EmbedTemplate::Structured
                .render(&x, 2025)
                .ends_with("Genres: None\nOverview: None")
        );
        assert_eq!(
            EmbedTemplate::Natural.render(&x, 2025),
            "X is a no specific genre  movie/show. None"
        );
        assert_eq!(EmbedTemplate::Emphasized.render(&x, 2025), "X  :: None");
    }

    #[test]
    fn structured_says_unknown_for_a_missing_year() {
        assert_eq!(
            EmbedTemplate::Structured.render(&bare_x(), 2025),
            "Title: X\nYear: Unknown\nEra: Unknown\nDecade: Unknown\nGenres: None\nOverview: None"
        );
    }

    #[test]
    fn a_future_year_without_genres_is_upcoming_in_basic() {
        let z = EmbedFields {
            title: "Z",
            overview: Some("o"),
            genres: &[],
            release_year: Some(2031),
        };
        assert_eq!(
            EmbedTemplate::Basic.render(&z, 2025),
            "[Upcoming] (2031 \u{2022} 2030s) Z :: o"
        );
    }

    #[test]
    fn year_zero_counts_as_unknown() {
        let mut z = bare_x();
        z.release_year = Some(0);
        assert_eq!(EmbedTemplate::Basic.render(&z, 2025), "X :: None");
    }

    #[test]
    fn empty_genre_names_are_skipped() {
        let genres = ["", "Drama"];
        let mut x = bare_x();
        x.genres = &genres;
        assert_eq!(EmbedTemplate::Basic.render(&x, 2025), "[Drama] X :: None");
    }

    #[test]
    fn era_branches_match_the_original_at_2025() {
        let cases = [
            (2026, "Upcoming"),
            (2025, "Upcoming"),
            (2020, "Contemporary"),
            (2015, "Recent"),
            (2010, "Recent"),
            (1998, "Modern"),
            (1990, "Modern"),
            (1978, "Classic"),
            (1970, "Classic"),
            (1965, "Vintage"),
        ];
        for (year, want) in cases {
            assert_eq!(era(year, 2025), want, "year {year}");
        }
    }

    #[test]
    fn era_bands_move_with_the_current_year() {
        assert_eq!(era(2025, 2030), "Contemporary");
        assert_eq!(era(2020, 2030), "Recent");
        assert_eq!(era(2030, 2030), "Upcoming");
        assert_eq!(era(1975, 2030), "Classic");
    }

    #[test]
    fn decade_floors_to_ten_years() {
        assert_eq!(decade(1999), "1990s");
        assert_eq!(decade(2000), "2000s");
    }

    #[test]
    fn a_long_overview_is_cut_at_800_code_points_plus_dots() {
        let long = "\u{e9}".repeat(801);
        let text = overview_text(Some(&long));
        assert_eq!(text.chars().count(), 803);
        assert!(text.ends_with("\u{e9}..."));
    }

    #[test]
    fn an_overview_of_exactly_800_code_points_is_kept_whole() {
        let exact = "a".repeat(800);
        assert_eq!(overview_text(Some(&exact)), exact);
    }

    #[test]
    fn parse_accepts_every_template_name() {
        for t in EmbedTemplate::ALL {
            assert_eq!(EmbedTemplate::parse(t.as_str()), Ok(t));
        }
    }

    #[test]
    fn parse_rejects_an_unknown_name_and_lists_the_valid_ones() {
        let err = EmbedTemplate::parse("fancy").expect_err("not a template");
        let msg = err.to_string();
        assert!(msg.starts_with("Unknown template: fancy"), "{msg}");
        assert!(
            msg.contains("basic, structured, natural, emphasized"),
            "{msg}"
        );
    }

    #[test]
    fn build_text_reads_the_item_columns() {
        let mut item = Item::bare(1, crate::item::MediaType::Movie, "The Matrix");
        item.overview = Some("A hacker learns.".into());
        item.release_year = Some(1999);
        item.genres = MATRIX_GENRES
            .iter()
            .map(|n| crate::item::Genre {
                id: None,
                name: (*n).to_owned(),
            })
            .collect();
        assert_eq!(
            build_text(&item, EmbedTemplate::Basic, 2025),
            EmbedTemplate::Basic.render(&matrix(), 2025)
        );
    }

    #[test]
    fn text_hash_is_sha256_hex() {
        assert_eq!(
            text_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
