//! The shipped vocabulary (`config/intent_fallbacks.json`) on requests as people type them.

use super::*;
use crate::intent::build_filters;
use crate::item::MediaType;

fn offline(query: &str) -> LlmIntent {
    offline_intent(query, &FallbackRules::default_rules())
}

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

/// True when every name is among the intent's include genres.
fn includes_all(intent: &LlmIntent, genres: &[&str]) -> bool {
    let inc = intent.include_genres.clone().unwrap_or_default();
    genres.iter().all(|g| inc.iter().any(|x| x == g))
}

#[test]
fn rom_com_movies_from_the_90s_is_romance_and_comedy_films_of_that_decade() {
    for query in ["rom-com movies from the 90s", "romcom movies from the 90s"] {
        let intent = offline(query);
        assert!(includes_all(&intent, &["Romance", "Comedy"]), "{query}");
        assert_eq!(intent.media_types, strings(&["movie"]), "{query}");
        assert_eq!((intent.year_min, intent.year_max), (Some(1990), Some(1999)));
        // Both genres at once, not either: a comedy alone is not a rom-com.
        assert_eq!(
            intent.require_genres,
            strings(&["Romance", "Comedy"]),
            "{query}"
        );
        let (filters, _) = build_filters(&intent, Some(query), None);
        assert_eq!(
            filters.required_genres,
            vec!["Romance", "Comedy"],
            "{query}"
        );
    }
}

#[test]
fn romance_alone_and_a_genre_override_require_nothing_together() {
    assert_eq!(offline("romance movies").require_genres, None);
    assert_eq!(
        offline("a dramedy").require_genres,
        strings(&["Comedy", "Drama"])
    );
    let (filters, _) = build_filters(&offline("a rom-com"), Some("a rom-com"), Some("Horror"));
    assert!(filters.required_genres.is_empty());
    // "no romcom": nothing required, Romance left out.
    let intent = offline("a comedy, no romcom");
    assert_eq!(intent.require_genres, None);
    assert!(
        intent
            .exclude_genres
            .unwrap_or_default()
            .contains(&"Romance".to_owned())
    );
}

#[test]
fn anime_is_japanese_animation_of_either_media_type() {
    let intent = offline("anime about robots");
    assert_eq!(
        intent.include_genres,
        strings(&["Animation", "Science Fiction"])
    );
    assert_eq!(intent.languages, strings(&["ja"]));
    assert_eq!(intent.media_types, None);
}

#[test]
fn sitcoms_are_tv_comedies() {
    let intent = offline("sitcoms like Friends");
    assert_eq!(intent.include_genres, strings(&["Comedy"]));
    assert_eq!(intent.media_types, strings(&["tv"]));
}

#[test]
fn k_drama_is_korean_language_tv_drama_in_every_spelling() {
    for query in [
        "k-drama romance",
        "kdrama romance",
        "K-Drama romance",
        "korean drama romance",
    ] {
        let intent = offline(query);
        assert!(includes_all(&intent, &["Drama", "Romance"]), "{query}");
        assert_eq!(intent.languages, strings(&["ko"]), "{query}");
        assert_eq!(intent.media_types, strings(&["tv"]), "{query}");
    }
}

#[test]
fn slang_genre_terms_map_to_catalog_genres() {
    let cases: &[(&str, &[&str])] = &[
        ("a whodunit", &["Mystery", "Crime"]),
        ("a good whodunnit", &["Mystery", "Crime"]),
        ("murder mystery for tonight", &["Mystery", "Crime"]),
        ("dramedy", &["Comedy", "Drama"]),
        ("an 80s slasher", &["Horror"]),
        ("a heist movie", &["Crime", "Thriller"]),
        ("neo-noir", &["Crime", "Mystery", "Thriller"]),
        ("space opera", &["Science Fiction", "Adventure"]),
        ("coming-of-age story", &["Drama", "Comedy"]),
        ("a biopic of a musician", &["Drama", "History"]),
        ("mockumentary", &["Comedy"]),
        ("something feel-good", &["Comedy", "Family"]),
        ("superhero flick", &["Action", "Science Fiction"]),
        ("kung fu", &["Action"]),
    ];
    for (query, genres) in cases {
        assert!(
            includes_all(&offline(query), genres),
            "{query}: {:?}",
            offline(query)
        );
    }
}

#[test]
fn true_crime_is_a_crime_documentary_not_any_crime_film() {
    for query in ["true crime documentaries", "some true-crime"] {
        let intent = offline(query);
        assert_eq!(
            intent.require_genres,
            strings(&["Documentary", "Crime"]),
            "{query}"
        );
        assert!(includes_all(&intent, &["Documentary", "Crime"]), "{query}");
    }
}

#[test]
fn docuseries_and_miniseries_are_tv() {
    let intent = offline("a docuseries about food");
    assert_eq!(intent.include_genres, strings(&["Documentary"]));
    assert_eq!(intent.media_types, strings(&["tv"]));
    assert_eq!(
        offline("a gripping miniseries").media_types,
        strings(&["tv"])
    );
    assert_eq!(offline("a film noir").media_types, strings(&["movie"]));
}

#[test]
fn a_negated_vocabulary_term_excludes_and_never_includes() {
    let intent = offline("something funny but no anime");
    assert_eq!(intent.exclude_genres, strings(&["Animation"]));
    assert_eq!(intent.languages, None);
    assert!(!includes_all(&intent, &["Animation"]));

    let intent = offline("a comedy, not a sitcom");
    assert_eq!(intent.exclude_genres, strings(&["Comedy"]));
    assert_eq!(intent.media_types, None);

    let intent = offline("thriller without k-drama stuff");
    assert_eq!(intent.languages, None);
    assert_eq!(intent.media_types, None);

    let intent = offline("no slasher please, a whodunit");
    assert!(includes_all(&intent, &["Mystery"]));
    assert!(!includes_all(&intent, &["Horror"]));
    assert_eq!(intent.exclude_genres, strings(&["Horror"]));
}

#[test]
fn a_movie_genre_request_also_matches_the_tv_genre_name() {
    let intent = offline("sci-fi shows");
    let (filters, _) = build_filters(&intent, Some("sci-fi shows"), None);
    assert_eq!(filters.media_types, vec![MediaType::Tv]);
    assert!(
        filters
            .effective_genres()
            .contains(&"Sci-Fi & Fantasy".to_owned())
    );

    let intent = offline("war movies but no action");
    let (filters, _) = build_filters(&intent, Some("war movies but no action"), None);
    assert!(
        filters
            .effective_genres()
            .contains(&"War & Politics".to_owned())
    );
    assert!(
        filters
            .exclude_genres
            .contains(&"Action & Adventure".to_owned())
    );
}

/// The intent's tags for `query`, through the filters (lower-cased there).
fn tags_of(query: &str) -> Vec<String> {
    build_filters(&offline(query), Some(query), None).0.tags
}

#[test]
fn topic_terms_tag_the_tmdb_keywords_they_mean() {
    let heist = tags_of("heist movies");
    for tag in ["heist", "bank robbery", "caper"] {
        assert!(heist.iter().any(|t| t == tag), "{tag} in {heist:?}");
    }
    assert!(tags_of("a space opera").contains(&"space opera".to_owned()));
    assert!(tags_of("Coming-of-Age films").contains(&"coming of age".to_owned()));
    assert!(tags_of("christmas movies for the family").contains(&"christmas".to_owned()));
    assert!(tags_of("zombies").contains(&"zombie".to_owned()));
    // Two topics add both rules' tags.
    let both = tags_of("vampires and werewolves");
    assert!(both.contains(&"vampire".to_owned()) && both.contains(&"werewolf".to_owned()));
    assert!(tags_of("a comedy from the 90s").is_empty());
}

#[test]
fn a_negated_topic_tags_nothing() {
    assert!(tags_of("a thriller but no zombies").is_empty());
    assert!(tags_of("anything except heist movies").is_empty());
}

#[test]
fn superheroes_but_not_marvel_leaves_out_marvel_titles_only() {
    let query = "superhero movies but not marvel";
    let (filters, _) = build_filters(&offline(query), Some(query), None);
    assert!(filters.tags.contains(&"superhero".to_owned()));
    assert!(filters.tags.contains(&"dc comics".to_owned()));
    assert!(
        !filters.tags.contains(&"marvel comic".to_owned()),
        "left out wins"
    );
    assert!(filters.exclude_tags.contains(&"marvel comic".to_owned()));
    assert!(tags_of("marvel movies").contains(&"marvel cinematic universe".to_owned()));
}

#[test]
fn requests_for_a_kind_of_film_tag_what_they_mean() {
    assert_eq!(tags_of("cult classics"), vec!["cult film"]);
    let teen = tags_of("teen movies");
    assert!(teen.contains(&"high school".to_owned()), "{teen:?}");
    for query in ["mind-bending movies", "movies that will make me think"] {
        let tags = tags_of(query);
        assert!(tags.contains(&"surrealism".to_owned()), "{query}: {tags:?}");
        assert!(
            includes_all(&offline(query), &["Science Fiction"]),
            "{query}"
        );
    }
    // A psychological thriller stays its own rule.
    assert!(!tags_of("psychological thrillers").contains(&"surrealism".to_owned()));
}

#[test]
fn oscar_winners_are_films() {
    for query in ["oscar winners", "Academy Award winning dramas"] {
        assert_eq!(offline(query).media_types, strings(&["movie"]), "{query}");
    }
}

#[test]
fn a_horror_comedy_is_both_at_once() {
    for query in [
        "horror comedy",
        "a good scary comedy",
        "comedy-horror movies",
    ] {
        assert_eq!(
            offline(query).require_genres,
            strings(&["Horror", "Comedy"]),
            "{query}"
        );
    }
    assert_eq!(offline("horror movies").require_genres, None);
}

#[test]
fn eras_and_settings_tag_what_they_mean() {
    for query in [
        "war movies about WWII",
        "ww2 films",
        "second world war dramas",
    ] {
        assert_eq!(tags_of(query), vec!["world war ii"], "{query}");
    }
    for query in ["space movies", "films set in outer space", "astronauts"] {
        assert!(
            tags_of(query).contains(&"space travel".to_owned()),
            "{query}"
        );
    }
    // A space opera is its own topic: the word "space" inside it does not make it a
    // film set in space.
    assert!(!tags_of("a space opera").contains(&"astronaut".to_owned()));
    let adult = offline("animated series for adults");
    assert!(includes_all(&adult, &["Animation"]));
    assert_eq!(adult.media_types, strings(&["tv"]));
    assert_eq!(
        tags_of("animated series for adults"),
        vec!["adult animation"]
    );
}

#[test]
fn kinds_of_story_people_ask_for_by_name() {
    let epic = offline("epic fantasy");
    assert_eq!(epic.require_genres, strings(&["Fantasy"]));
    assert!(tags_of("high fantasy").contains(&"sword and sorcery".to_owned()));
    assert!(tags_of("medieval movies").contains(&"middle ages".to_owned()));
    let cozy = offline("a cozy mystery");
    assert_eq!(cozy.require_genres, strings(&["Mystery"]));
    assert!(
        cozy.exclude_genres
            .unwrap_or_default()
            .contains(&"Horror".to_owned())
    );
    for query in [
        "a movie to cry to",
        "sad movies",
        "something that will make me cry",
    ] {
        let tags = tags_of(query);
        assert!(
            tags.contains(&"tragic love".to_owned()),
            "{query}: {tags:?}"
        );
        assert!(includes_all(&offline(query), &["Drama"]), "{query}");
    }
}

#[test]
fn film_noir_means_the_classic_era_unless_the_request_names_one() {
    let classic = offline("film noir");
    assert_eq!((classic.year_min, classic.year_max), (None, Some(1959)));
    assert!(includes_all(&classic, &["Crime", "Thriller"]));
    let seventies = offline("film noir from the 70s");
    assert_eq!(
        (seventies.year_min, seventies.year_max),
        (Some(1970), Some(1979))
    );
    // Neo-noir is any era, found by its tags.
    let neo = offline("neo-noir thrillers");
    assert_eq!((neo.year_min, neo.year_max), (None, None));
    assert!(tags_of("neo-noir thrillers").contains(&"neo-noir".to_owned()));
}

#[test]
fn documentaries_about_a_genre_are_documentaries() {
    for query in ["crime documentaries", "a music documentary", "sports docs"] {
        let intent = offline(query);
        assert_eq!(intent.require_genres, strings(&["Documentary"]), "{query}");
    }
    assert_eq!(offline("crime dramas").require_genres, None);
}

#[test]
fn everyday_phrasings_read_as_what_they_mean() {
    assert!(includes_all(
        &offline("a good movie for a first date"),
        &["Romance"]
    ));
    assert_eq!(tags_of("something inspiring"), vec!["underdog"]);
    let query = "I want to laugh";
    let (filters, _) = build_filters(&offline(query), Some(query), None);
    assert_eq!(filters.moods, vec!["funny"]);
    assert_eq!(offline("show me underrated 80s horror").media_types, None);
}

#[test]
fn robots_are_science_fiction_and_their_tags() {
    let intent = offline("anime about robots");
    assert!(
        includes_all(&intent, &["Animation", "Science Fiction"]),
        "{intent:?}"
    );
    assert!(tags_of("anime about robots").contains(&"mecha".to_owned()));
}
