//! Which search result is our title.
//!
//! The original scored every candidate and took the best even at score 0, so an unrelated
//! title could be matched (spec §4.3, WEAK). Here a candidate must pass three gates, and the
//! survivors are scored:
//!
//! | test | rejected when | points |
//! |---|---|---|
//! | title | neither equal ignoring case nor equal after [`normalize_title`] | equal ignoring case +3, equal normalised +2 |
//! | type | `objectType` present and not ours (`MOVIE` for movies, `SHOW` for TV) | ours +3, absent 0 |
//! | year | both years known and more than one year apart | same year +4, one apart +1, our year unknown +1, theirs unknown 0 |
//!
//! The highest score wins; on a tie the earliest candidate in JustWatch's (relevance) order
//! wins, so the same response always gives the same match. No survivor → no match.

use seen_core::item::MediaType;
use serde::Deserialize;

/// One search result (`searchTitles.edges[].node`), reduced to what matching needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// JustWatch node id (`tm92641`), used to fetch the offers.
    pub id: String,
    /// `MOVIE` or `SHOW`, when JustWatch says.
    pub object_type: Option<String>,
    /// JustWatch's numeric id.
    pub object_id: Option<i64>,
    /// `content.title`, in the requested language.
    pub title: Option<String>,
    /// `content.originalReleaseYear`.
    pub release_year: Option<i32>,
}

/// The wire shape of a search node.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawNode {
    id: Option<String>,
    object_type: Option<String>,
    object_id: Option<i64>,
    content: Option<RawContent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawContent {
    title: Option<String>,
    original_release_year: Option<i32>,
}

impl RawNode {
    /// The candidate, or `None` for a node without an id (nothing to fetch offers for).
    pub(crate) fn into_candidate(self) -> Option<Candidate> {
        let id = self.id.filter(|id| !id.trim().is_empty())?;
        let (title, release_year) = match self.content {
            Some(c) => (c.title, c.original_release_year),
            None => (None, None),
        };
        Some(Candidate {
            id,
            object_type: self.object_type,
            object_id: self.object_id,
            title,
            release_year,
        })
    }
}

/// JustWatch's `objectType` for a media type.
pub fn object_type(media: MediaType) -> &'static str {
    match media {
        MediaType::Movie => "MOVIE",
        MediaType::Tv => "SHOW",
    }
}

/// Lower case, letters and digits only (any script): "Spider-Man: No Way Home" →
/// "spidermannowayhome".
pub fn normalize_title(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate's score, or `None` when a gate rejects it (see the module doc).
pub fn score(
    title: &str,
    media: MediaType,
    release_year: Option<i32>,
    candidate: &Candidate,
) -> Option<u32> {
    let theirs = candidate.title.as_deref()?.trim();
    let ours = title.trim();
    let title_points = if theirs.to_lowercase() == ours.to_lowercase() {
        3
    } else if !normalize_title(ours).is_empty() && normalize_title(theirs) == normalize_title(ours)
    {
        2
    } else {
        return None;
    };
    let type_points = match candidate.object_type.as_deref().map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case(object_type(media)) => 3,
        Some(_) => return None,
        None => 0,
    };
    let year_points = match (release_year, candidate.release_year) {
        (Some(a), Some(b)) => match a.abs_diff(b) {
            0 => 4,
            1 => 1,
            _ => return None,
        },
        (None, _) => 1,
        (Some(_), None) => 0,
    };
    Some(title_points + type_points + year_points)
}

/// The best candidate for the title (see the module doc), or `None`.
pub fn choose_best_match<'a>(
    title: &str,
    media: MediaType,
    release_year: Option<i32>,
    candidates: &'a [Candidate],
) -> Option<&'a Candidate> {
    let mut best: Option<(u32, &Candidate)> = None;
    for candidate in candidates {
        let Some(points) = score(title, media, release_year, candidate) else {
            continue;
        };
        // Strictly greater: an equal score never displaces an earlier candidate.
        if best.is_none_or(|(top, _)| points > top) {
            best = Some((points, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, kind: Option<&str>, title: &str, year: Option<i32>) -> Candidate {
        Candidate {
            id: id.into(),
            object_type: kind.map(str::to_owned),
            object_id: None,
            title: Some(title.into()),
            release_year: year,
        }
    }

    #[test]
    fn the_release_year_picks_between_remakes() {
        let cands = [
            cand("tm1", Some("MOVIE"), "Dune", Some(1984)),
            cand("tm2", Some("MOVIE"), "Dune", Some(2021)),
        ];
        let got = choose_best_match("Dune", MediaType::Movie, Some(2021), &cands);
        assert_eq!(got.map(|c| c.id.as_str()), Some("tm2"));
    }

    #[test]
    fn a_year_one_off_still_matches_but_two_off_does_not() {
        let one_off = [cand("tm1", Some("MOVIE"), "Heat", Some(1996))];
        let two_off = [cand("tm1", Some("MOVIE"), "Heat", Some(1997))];
        assert!(choose_best_match("Heat", MediaType::Movie, Some(1995), &one_off).is_some());
        assert!(choose_best_match("Heat", MediaType::Movie, Some(1995), &two_off).is_none());
    }

    #[test]
    fn an_unrelated_title_is_never_matched() {
        let cands = [cand("tm1", Some("MOVIE"), "Heat Wave", Some(1995))];
        assert!(choose_best_match("Heat", MediaType::Movie, Some(1995), &cands).is_none());
    }

    #[test]
    fn the_other_media_type_is_refused() {
        let cands = [cand("ts1", Some("SHOW"), "Fargo", Some(1996))];
        assert!(choose_best_match("Fargo", MediaType::Movie, Some(1996), &cands).is_none());
        assert!(choose_best_match("Fargo", MediaType::Tv, Some(1996), &cands).is_some());
    }

    #[test]
    fn punctuation_and_case_do_not_prevent_a_match_but_an_exact_title_scores_higher() {
        let cands = [
            cand("tm1", Some("MOVIE"), "Spider Man No Way Home", Some(2021)),
            cand("tm2", Some("MOVIE"), "spider-man: no way home", Some(2021)),
        ];
        let got = choose_best_match(
            "Spider-Man: No Way Home",
            MediaType::Movie,
            Some(2021),
            &cands,
        );
        assert_eq!(got.map(|c| c.id.as_str()), Some("tm2"));
    }

    #[test]
    fn equal_scores_keep_the_earliest_candidate() {
        let cands = [
            cand("tm1", Some("MOVIE"), "Crash", None),
            cand("tm2", Some("MOVIE"), "Crash", None),
        ];
        let got = choose_best_match("Crash", MediaType::Movie, None, &cands);
        assert_eq!(got.map(|c| c.id.as_str()), Some("tm1"));
    }

    #[test]
    fn unicode_titles_normalise_per_script() {
        assert_eq!(normalize_title("Amélie!"), "amélie");
        assert_eq!(normalize_title("千と千尋の神隠し"), "千と千尋の神隠し");
        assert_eq!(normalize_title("?!"), "");
    }

    #[test]
    fn a_candidate_without_a_title_is_skipped() {
        let mut no_title = cand("tm1", Some("MOVIE"), "x", Some(2000));
        no_title.title = None;
        assert!(choose_best_match("x", MediaType::Movie, Some(2000), &[no_title]).is_none());
    }
}
