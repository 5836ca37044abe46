//! Maturity ratings: one spelling per certification and a level to compare them by.
//!
//! Movie (G … NC-17), TV (TV-Y … TV-MA) and a few foreign certifications share one scale, so
//! a "PG" cap also bounds TV shows. `NR` (not rated) sits at 99 and so fails every real cap.

/// Raw spelling (upper-cased, `_` → `-`) → canonical rating.
const ALIASES: &[(&str, &str)] = &[
    ("G", "G"),
    ("E", "G"),
    ("PG", "PG"),
    ("PG13", "PG-13"),
    ("PG-13", "PG-13"),
    ("PG_13", "PG-13"),
    ("R", "R"),
    ("NC17", "NC-17"),
    ("NC-17", "NC-17"),
    ("NC_17", "NC-17"),
    ("NR", "NR"),
    ("NOTRATED", "NR"),
    ("NOT-RATED", "NR"),
    ("NOT RATED", "NR"),
    ("UNRATED", "NR"),
    ("TVY", "TV-Y"),
    ("TV-Y", "TV-Y"),
    ("TV_Y", "TV-Y"),
    ("TVG", "TV-G"),
    ("TV-G", "TV-G"),
    // The original maps TVG7 to TV-Y7 (there is no TV-G7); kept for compatibility.
    ("TVG7", "TV-Y7"),
    ("TVY7", "TV-Y7"),
    ("TV-Y7", "TV-Y7"),
    ("TVY7FV", "TV-Y7-FV"),
    ("TV-Y7-FV", "TV-Y7-FV"),
    ("TVPG", "TV-PG"),
    ("TV-PG", "TV-PG"),
    ("TV14", "TV-14"),
    ("TV-14", "TV-14"),
    ("TVMA", "TV-MA"),
    ("TV-MA", "TV-MA"),
    ("MA15", "MA15+"),
    ("MA15+", "MA15+"),
    ("M", "M"),
    ("16", "MA15+"),
    ("18", "NC-17"),
    ("18+", "NC-17"),
    ("R18", "NC-17"),
    ("R18+", "NC-17"),
];

/// Canonical rating → level; a higher level is for an older audience.
const LEVELS: &[(&str, u8)] = &[
    ("TV-Y", 0),
    ("TV-G", 0),
    ("G", 0),
    ("TV-Y7", 7),
    ("TV-Y7-FV", 7),
    ("PG", 10),
    ("TV-PG", 10),
    ("PG-13", 13),
    ("TV-14", 14),
    ("MA15+", 15),
    ("M", 15),
    ("R", 17),
    ("TV-MA", 17),
    ("NC-17", 18),
    ("NR", 99),
];

fn alias(key: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The canonical spelling of a certification (`tvma` → `TV-MA`, `pg13` → `PG-13`).
///
/// Blank input gives `None`. A spelling outside the alias table comes back upper-cased and
/// trimmed (with `_` as `-`); its level is then unknown.
pub fn normalize_rating(raw: &str) -> Option<String> {
    let token = raw.trim().to_uppercase().replace('_', "-");
    if token.is_empty() {
        return None;
    }
    let compact: String = token.chars().filter(|c| *c != ' ').collect();
    let canonical = alias(&compact).or_else(|| alias(&token));
    Some(canonical.map_or(token, str::to_owned))
}

/// The level of a certification after normalisation, or `None` when it is unknown.
pub fn rating_level(raw: &str) -> Option<u8> {
    let canonical = normalize_rating(raw)?;
    LEVELS
        .iter()
        .find(|(name, _)| *name == canonical)
        .map(|(_, level)| *level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_compact_spellings_normalise_to_the_canonical_rating() {
        assert_eq!(normalize_rating("tvma").as_deref(), Some("TV-MA"));
        assert_eq!(normalize_rating("pg13").as_deref(), Some("PG-13"));
        assert_eq!(normalize_rating(" tv_14 ").as_deref(), Some("TV-14"));
        assert_eq!(normalize_rating("Not Rated").as_deref(), Some("NR"));
        assert_eq!(normalize_rating("tv g7").as_deref(), Some("TV-Y7"));
        assert_eq!(normalize_rating("R18+").as_deref(), Some("NC-17"));
    }

    #[test]
    fn a_blank_rating_normalises_to_none() {
        assert_eq!(normalize_rating("   "), None);
        assert_eq!(normalize_rating(""), None);
    }

    #[test]
    fn an_unknown_rating_is_returned_upper_cased_without_a_level() {
        assert_eq!(normalize_rating("Unknown").as_deref(), Some("UNKNOWN"));
        assert_eq!(rating_level("Unknown"), None);
    }

    #[test]
    fn levels_follow_the_shared_scale() {
        assert_eq!(rating_level("G"), Some(0));
        assert_eq!(rating_level("TV-Y7-FV"), Some(7));
        assert_eq!(rating_level("PG-13"), Some(13));
        assert_eq!(rating_level("unrated"), Some(99));
        assert_eq!(rating_level("16"), Some(15));
    }
}
