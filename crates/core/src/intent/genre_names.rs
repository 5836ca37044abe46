//! Genre names across TMDB's two genre lists: the TV list merges some movie genres
//! ("Sci-Fi & Fantasy", "Action & Adventure", "War & Politics"), so a request for a movie
//! genre must also match the TV name for TV titles, and the reverse.

/// TMDB names some genres differently for TV ("Sci-Fi & Fantasy", "Action & Adventure",
/// "War & Politics"): each name with the names that mean it in the other list.
const COUNTERPARTS: &[(&str, &[&str])] = &[
    ("Science Fiction", &["Sci-Fi & Fantasy"]),
    ("Fantasy", &["Sci-Fi & Fantasy"]),
    ("Action", &["Action & Adventure"]),
    ("Adventure", &["Action & Adventure"]),
    ("War", &["War & Politics"]),
    ("Sci-Fi & Fantasy", &["Science Fiction", "Fantasy"]),
    ("Action & Adventure", &["Action", "Adventure"]),
    ("War & Politics", &["War"]),
];

/// The names a genre has in TMDB's other genre list (movie ↔ TV), case-insensitively;
/// empty when both lists share the name ("Drama", "Comedy", ...).
pub fn genre_counterparts(name: &str) -> &'static [&'static str] {
    let name = name.trim();
    COUNTERPARTS
        .iter()
        .find(|(g, _)| g.eq_ignore_ascii_case(name))
        .map_or(&[], |(_, others)| others)
}

/// `genres` followed by their counterparts in the other genre list (see
/// [`genre_counterparts`]), without case-insensitive repeats, in order.
pub fn with_counterparts(genres: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let extra = genres
        .iter()
        .flat_map(|g| genre_counterparts(g).iter().map(|c| (*c).to_owned()));
    for g in genres.iter().cloned().chain(extra) {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(&g)) {
            out.push(g);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movie_genres_gain_their_tv_names_and_back() {
        let s = |v: &[&str]| v.iter().map(|g| (*g).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            with_counterparts(&s(&["science fiction", "Drama", "Fantasy"])),
            s(&["science fiction", "Drama", "Fantasy", "Sci-Fi & Fantasy"])
        );
        assert_eq!(
            with_counterparts(&s(&["Action & Adventure"])),
            s(&["Action & Adventure", "Action", "Adventure"])
        );
        assert!(genre_counterparts("Comedy").is_empty());
        assert_eq!(genre_counterparts(" war "), ["War & Politics"]);
    }
}
