use super::*;
use serde_json::json;

/// Real lines of `data/demo/catalog.jsonl.gz`, verbatim.
const FOUR_ROOMS: &str = r#"{"id": 5, "media_type": "movie", "title": "Four Rooms", "original_title": "Four Rooms", "overview": "It's Ted the Bellhop's first night on the job...and the hotel's very unusual guests are about to place him in some outrageous predicaments. It seems that this evening's room service is serving up one unbelievable happening after another.", "tagline": "Twelve outrageous guests. Four scandalous requests. And one lone bellhop, in his first day on the job, who's in for the wildest New year's Eve of his life.", "genres": [{"id": 80, "name": "Crime"}, {"id": 35, "name": "Comedy"}], "release_date": "1995-12-09", "runtime": 98, "original_language": "en", "popularity": 9.026586, "vote_average": 6.5, "vote_count": 539, "poster_path": "/eQs5hh9rxrk1m4xHsIz1w11Ngqb.jpg", "imdb_id": "tt0113101", "adult": false, "spoken_languages": ["en"], "keywords": ["hotel", "new year's eve", "witch", "bet", "hotel room", "sperm", "los angeles", "hoodlum", "woman director", "episode film"], "cast": ["Tim Roth", "Antonio Banderas", "Jennifer Beals", "Madonna", "Marisa Tomei"], "directors": ["Allison Anders", "Alexandre Rockwell", "Robert Rodriguez", "Quentin Tarantino"], "movielens_id": 18}"#;
const STAR_WARS: &str = r#"{"id": 11, "media_type": "movie", "title": "Star Wars", "original_title": "Star Wars", "overview": "Princess Leia is captured and held hostage by the evil Imperial forces in their effort to take over the galactic Empire. Venturesome Luke Skywalker and dashing captain Han Solo team together with the loveable robot duo R2-D2 and C-3PO to rescue the beautiful princess and restore peace and justice in the Empire.", "tagline": "A long time ago in a galaxy far, far away...", "genres": [{"id": 12, "name": "Adventure"}, {"id": 28, "name": "Action"}, {"id": 878, "name": "Science Fiction"}], "release_date": "1977-05-25", "runtime": 121, "original_language": "en", "popularity": 42.149697, "vote_average": 8.1, "vote_count": 6778, "poster_path": "/btTdmkgIvOi0FFip1sPuZI2oQG6.jpg", "imdb_id": "tt0076759", "adult": false, "belongs_to_collection": {"id": 10, "name": "Star Wars Collection"}, "spoken_languages": ["en"], "keywords": ["android", "galaxy", "hermit", "death star", "lightsaber", "jedi", "rescue mission", "empire", "rebellion", "planet", "smuggler", "the force", "space opera", "galactic war", "stormtrooper", "totalitarianism"], "cast": ["Mark Hamill", "Harrison Ford", "Carrie Fisher", "Peter Cushing", "Alec Guinness"], "directors": ["George Lucas"], "movielens_id": 260}"#;
const DALLAS: &str = r#"{"id": 40, "media_type": "tv", "name": "Dallas", "overview": "The world's first mega-soap, and one of the most popular ever produced, Dallas had it all. Beautiful women, expensive cars, and men playing Monopoly with real buildings. Famous for one of the best cliffhangers in TV history, as the world asked \"Who shot J.R.?\" A slow-burner to begin with, Dallas hit its stride in the 2nd season, with long storylines and expert character development. Dallas ruled the airwaves in the 1980's.", "first_air_date": "1978-04-02", "popularity": 157.944, "vote_average": 6.8, "vote_count": 205, "genres": [{"id": 18, "name": "Drama"}, {"id": 10751, "name": "Family"}], "episode_run_time": [60], "original_language": "en", "imdb_id": "tt1723760"}"#;
const MEDIUM: &str = r#"{"id": 36, "media_type": "tv", "name": "Medium", "overview": "Allison Dubois works in the District Attorney’s office using her natural intuition about people and her ability to communicate with the dead to help to solve crimes. Her dreams often give her clues to the whereabouts of missing people.", "first_air_date": "2005-01-03", "popularity": 209.559, "vote_average": 7.46, "vote_count": 521}"#;
const INCOGNITO: &str = r#"{"id": 17413, "media_type": "movie", "title": "Incognito", "genres": [{"id": 35, "name": "Comedy"}], "original_language": "fr", "release_date": "2009-04-28", "popularity": 5.602, "vote_average": 5.5, "vote_count": 213}"#;

fn map_line(line: &str) -> NewItem {
    let payload: Value = serde_json::from_str(line).expect("test line is valid JSON");
    map_tmdb_detail(&payload, None).expect("test line maps")
}

/// `/movie/550?append_to_response=release_dates,credits,keywords`, trimmed to the keys we read
/// plus a few we ignore.
fn fight_club_api() -> Value {
    json!({
        "adult": false,
        "backdrop_path": "/hZkgoQYus5vegHoetLkCJzb17zJ.jpg",
        "belongs_to_collection": null,
        "budget": 63000000,
        "genres": [{"id": 18, "name": "Drama"}, {"id": 53, "name": "Thriller"}],
        "id": 550,
        "imdb_id": "tt0137523",
        "original_language": "en",
        "original_title": "Fight Club",
        "overview": "A ticking-time-bomb insomniac and a slippery soap salesman channel primal male aggression into a shocking new form of therapy.",
        "popularity": 61.416,
        "poster_path": "/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg",
        "release_date": "1999-10-15",
        "runtime": 139,
        "spoken_languages": [{"english_name": "English", "iso_639_1": "en", "name": "English"}],
        "status": "Released",
        "tagline": "Mischief. Mayhem. Soap.",
        "title": "Fight Club",
        "video": false,
        "vote_average": 8.433,
        "vote_count": 26280,
        "release_dates": {"results": [
            {"iso_3166_1": "DE", "release_dates": [
                {"certification": "18", "descriptors": [], "iso_639_1": "", "note": "", "release_date": "1999-11-11T00:00:00.000Z", "type": 3}
            ]},
            {"iso_3166_1": "US", "release_dates": [
                {"certification": "", "descriptors": [], "iso_639_1": "", "note": "Premiere", "release_date": "1999-09-21T00:00:00.000Z", "type": 1},
                {"certification": "R", "descriptors": [], "iso_639_1": "", "note": "", "release_date": "1999-10-15T00:00:00.000Z", "type": 3}
            ]}
        ]},
        "credits": {
            "cast": [
                {"adult": false, "gender": 2, "id": 819, "known_for_department": "Acting", "name": "Edward Norton", "character": "Narrator", "credit_id": "52fe4250c3a36847f80149f3", "order": 0},
                {"adult": false, "gender": 2, "id": 287, "known_for_department": "Acting", "name": "Brad Pitt", "character": "Tyler Durden", "credit_id": "52fe4250c3a36847f801499f", "order": 1},
                {"adult": false, "gender": 1, "id": 1283, "known_for_department": "Acting", "name": "Helena Bonham Carter", "character": "Marla Singer", "credit_id": "52fe4250c3a36847f80149a3", "order": 2}
            ],
            "crew": [
                {"id": 7467, "name": "David Fincher", "department": "Directing", "job": "Director", "credit_id": "52fe4250c3a36847f8014a11"},
                {"id": 7474, "name": "Jim Uhls", "department": "Writing", "job": "Screenplay", "credit_id": "52fe4250c3a36847f8014a47"},
                {"id": 7475, "name": "Art Linson", "department": "Production", "job": "Producer", "credit_id": "52fe4250c3a36847f8014a4d"}
            ]
        },
        "keywords": {"keywords": [
            {"id": 825, "name": "support group"},
            {"id": 851, "name": "dual identity"},
            {"id": 1541, "name": "nihilism"}
        ]}
    })
}

/// `/tv/1396?append_to_response=content_ratings,credits,keywords`, trimmed.
fn breaking_bad_api() -> Value {
    json!({
        "created_by": [{"id": 66633, "name": "Vince Gilligan"}],
        "episode_run_time": [45, 47],
        "first_air_date": "2008-01-20",
        "genres": [{"id": 18, "name": "Drama"}, {"id": 80, "name": "Crime"}],
        "id": 1396,
        "languages": ["en"],
        "name": "Breaking Bad",
        "number_of_seasons": 5,
        "origin_country": ["US"],
        "original_language": "en",
        "original_name": "Breaking Bad",
        "overview": "Walter White, a New Mexico chemistry teacher, is diagnosed with Stage III cancer.",
        "popularity": 288.0,
        "poster_path": "/ztkUQFLlC19CCMYHW9o1zWhJRNq.jpg",
        "vote_average": 8.9,
        "vote_count": 13000,
        "content_ratings": {"results": [
            {"descriptors": [], "iso_3166_1": "DE", "rating": "16"},
            {"descriptors": [], "iso_3166_1": "US", "rating": "TV-MA"}
        ]},
        "credits": {"cast": [
            {"name": "Bryan Cranston", "character": "Walter White", "order": 0},
            {"name": "Aaron Paul", "character": "Jesse Pinkman", "order": 1}
        ], "crew": []},
        "keywords": {"results": [{"id": 2231, "name": "drug dealer"}, {"id": 9672, "name": "cancer"}]}
    })
}

#[test]
fn a_demo_movie_line_maps_every_column() {
    let item = map_line(FOUR_ROOMS);
    assert_eq!(item.key(), (MediaType::Movie, 5));
    assert_eq!(item.title, "Four Rooms");
    assert!(
        item.overview
            .as_deref()
            .is_some_and(|o| o.starts_with("It's Ted the Bellhop"))
    );
    assert_eq!(item.runtime, Some(98));
    assert_eq!(item.original_language.as_deref(), Some("en"));
    assert_eq!(
        item.genres,
        vec![
            Genre {
                id: Some(80),
                name: "Crime".into()
            },
            Genre {
                id: Some(35),
                name: "Comedy".into()
            }
        ]
    );
    assert_eq!(
        item.poster_url.as_deref(),
        Some("https://image.tmdb.org/t/p/w500/eQs5hh9rxrk1m4xHsIz1w11Ngqb.jpg")
    );
    assert_eq!(item.release_year, Some(1995));
    assert_eq!(item.popularity, Some(9.026586));
    assert_eq!(item.vote_average, Some(6.5));
    assert_eq!(item.vote_count, Some(539));
    assert_eq!(item.keywords.len(), 10);
    assert_eq!(item.keywords[1], "new year's eve");
    assert_eq!(
        item.cast_names,
        [
            "Tim Roth",
            "Antonio Banderas",
            "Jennifer Beals",
            "Madonna",
            "Marisa Tomei"
        ]
    );
    assert_eq!(item.directors.len(), 4);
    assert_eq!(item.directors[3], "Quentin Tarantino");
    assert_eq!(item.imdb_id.as_deref(), Some("tt0113101"));
    assert_eq!(item.movielens_id, Some(18));
    assert_eq!((item.collection_id, item.maturity_rating), (None, None));
    assert_eq!(
        (item.popular_rank, item.trending_rank, item.top_rated_rank),
        (None, None, None)
    );
}

#[test]
fn a_demo_movie_in_a_franchise_keeps_its_collection() {
    let item = map_line(STAR_WARS);
    assert_eq!(item.collection_id, Some(10));
    assert_eq!(
        item.collection_name.as_deref(),
        Some("Star Wars Collection")
    );
}

#[test]
fn a_demo_tv_line_takes_name_first_air_date_and_episode_runtime() {
    let item = map_line(DALLAS);
    assert_eq!(item.key(), (MediaType::Tv, 40));
    assert_eq!(item.title, "Dallas");
    assert_eq!(item.release_year, Some(1978));
    assert_eq!(item.runtime, Some(60));
    assert_eq!(item.genres.len(), 2);
    assert_eq!(item.imdb_id.as_deref(), Some("tt1723760"));
}

#[test]
fn a_demo_line_with_missing_fields_maps_them_to_nothing() {
    let item = map_line(MEDIUM);
    assert_eq!(item.key(), (MediaType::Tv, 36));
    assert!(item.genres.is_empty());
    assert_eq!(item.runtime, None);
    assert_eq!(item.original_language, None);
    assert_eq!(item.poster_url, None);
    assert_eq!(item.imdb_id, None);
    assert!(item.keywords.is_empty() && item.cast_names.is_empty() && item.directors.is_empty());
    assert_eq!(item.release_year, Some(2005));
    assert_eq!(item.vote_count, Some(521));

    let sparse_movie = map_line(INCOGNITO);
    assert_eq!(sparse_movie.overview, None);
    assert_eq!(sparse_movie.runtime, None);
    assert_eq!(sparse_movie.movielens_id, None);
}

#[test]
fn a_real_api_movie_payload_reads_credits_keywords_and_certification() {
    let item = map_tmdb_detail(&fight_club_api(), Some(MediaType::Movie)).expect("maps");
    assert_eq!(item.key(), (MediaType::Movie, 550));
    assert_eq!(item.title, "Fight Club");
    assert_eq!(item.runtime, Some(139));
    assert_eq!(
        item.cast_names,
        ["Edward Norton", "Brad Pitt", "Helena Bonham Carter"]
    );
    assert_eq!(item.directors, ["David Fincher"]);
    assert_eq!(
        item.keywords,
        ["support group", "dual identity", "nihilism"]
    );
    assert_eq!(item.maturity_rating.as_deref(), Some("R"));
    assert_eq!(item.collection_id, None);
    assert_eq!(item.imdb_id.as_deref(), Some("tt0137523"));
}

#[test]
fn a_real_api_tv_payload_reads_keyword_results_and_content_ratings() {
    let item = map_tmdb_detail(&breaking_bad_api(), Some(MediaType::Tv)).expect("maps");
    assert_eq!(item.key(), (MediaType::Tv, 1396));
    assert_eq!(item.title, "Breaking Bad");
    assert_eq!(item.runtime, Some(45));
    assert_eq!(item.keywords, ["drug dealer", "cancer"]);
    assert_eq!(item.cast_names, ["Bryan Cranston", "Aaron Paul"]);
    assert!(item.directors.is_empty());
    assert_eq!(item.maturity_rating.as_deref(), Some("TV-MA"));
    assert_eq!(item.release_year, Some(2008));
}

#[test]
fn a_payload_without_media_type_is_tv_when_it_has_a_name() {
    let item = map_tmdb_detail(&breaking_bad_api(), None).expect("maps");
    assert_eq!(item.media_type, MediaType::Tv);
    let movie = map_tmdb_detail(&fight_club_api(), None).expect("maps");
    assert_eq!(movie.media_type, MediaType::Movie);
}

#[test]
fn the_callers_media_type_wins_over_the_payloads() {
    let payload: Value = serde_json::from_str(FOUR_ROOMS).expect("valid");
    let item = map_tmdb_detail(&payload, Some(MediaType::Tv)).expect("maps");
    assert_eq!(item.media_type, MediaType::Tv);
}

#[test]
fn an_empty_us_certification_falls_through_to_the_next_us_value() {
    let payload = json!({"id": 1, "title": "T", "release_dates": {"results": [
        {"iso_3166_1": "US", "release_dates": [{"certification": ""}, {"certification": "R"}]}
    ]}});
    let item = map_tmdb_detail(&payload, Some(MediaType::Movie)).expect("maps");
    assert_eq!(item.maturity_rating.as_deref(), Some("R"));
}

#[test]
fn canada_is_preferred_when_the_us_certification_is_blank() {
    let payload = json!({"id": 1, "title": "T", "release_dates": {"results": [
        {"iso_3166_1": "FR", "release_dates": [{"certification": "12"}]},
        {"iso_3166_1": "US", "release_dates": [{"certification": ""}]},
        {"iso_3166_1": "CA", "release_dates": [{"certification": "14A"}]}
    ]}});
    let item = map_tmdb_detail(&payload, Some(MediaType::Movie)).expect("maps");
    assert_eq!(item.maturity_rating.as_deref(), Some("14A"));
}

#[test]
fn any_country_is_used_when_no_preferred_country_rates_the_title() {
    let payload = json!({"id": 1, "name": "T", "content_ratings": {"results": [
        {"iso_3166_1": "DE", "rating": "16"}
    ]}});
    let item = map_tmdb_detail(&payload, Some(MediaType::Tv)).expect("maps");
    assert_eq!(item.maturity_rating.as_deref(), Some("MA15+"));
}

#[test]
fn numbers_are_parsed_leniently() {
    let payload = json!({"id": "42", "title": "T", "popularity": "12.5", "vote_average": "n/a",
        "vote_count": 7.9, "runtime": 0, "movielens_id": "7"});
    let item = map_tmdb_detail(&payload, None).expect("maps");
    assert_eq!(item.tmdb_id, 42);
    assert_eq!(item.popularity, Some(12.5));
    assert_eq!(item.vote_average, None);
    assert_eq!(item.vote_count, Some(7));
    assert_eq!(item.runtime, Some(0));
    assert_eq!(item.movielens_id, Some(7));
}

#[test]
fn an_empty_release_date_falls_through_to_first_air_date() {
    let payload =
        json!({"id": 1, "title": "T", "release_date": "", "first_air_date": "2011-04-17"});
    assert_eq!(
        map_tmdb_detail(&payload, None).expect("maps").release_year,
        Some(2011)
    );
    let junk = json!({"id": 1, "title": "T", "release_date": "soon"});
    assert_eq!(
        map_tmdb_detail(&junk, None).expect("maps").release_year,
        None
    );
}

#[test]
fn a_payload_without_a_usable_id_is_rejected() {
    for id in [
        json!(null),
        json!("abc"),
        json!(0),
        json!(-5),
        json!(5_000_000_000_i64),
    ] {
        let err = map_tmdb_detail(&json!({"id": id, "title": "T"}), None).unwrap_err();
        assert_eq!(err, CatalogError::MissingId, "id {id}");
    }
    let err = map_tmdb_detail(&json!({"title": "T"}), None).unwrap_err();
    assert_eq!(err.reason(), "missing id");
}

#[test]
fn a_payload_without_a_title_or_name_is_rejected() {
    let err = map_tmdb_detail(&json!({"id": 3, "title": "  ", "name": null}), None).unwrap_err();
    assert_eq!(err, CatalogError::MissingTitle);
}

#[test]
fn a_payload_that_is_not_an_object_or_of_unknown_media_is_rejected() {
    assert_eq!(
        map_tmdb_detail(&json!([1, 2]), None).unwrap_err(),
        CatalogError::NotAnObject
    );
    let err =
        map_tmdb_detail(&json!({"id": 3, "name": "X", "media_type": "person"}), None).unwrap_err();
    assert_eq!(err, CatalogError::UnknownMediaType("person".into()));
}

#[test]
fn strings_lose_nul_characters_and_over_long_values_are_cut_to_fit_their_columns() {
    let long_title = "x".repeat(600);
    let payload = json!({"id": 1, "title": long_title, "overview": "a\u{0}b",
        "original_language": "a-very-long-language-tag", "imdb_id": "tt0123456789012345"});
    let item = map_tmdb_detail(&payload, None).expect("maps");
    assert_eq!(item.title.chars().count(), 512);
    assert_eq!(item.overview.as_deref(), Some("ab"));
    assert_eq!(item.original_language, None);
    assert_eq!(item.imdb_id, None);
}

#[test]
fn the_cast_keeps_the_top_billed_names_only() {
    let cast: Vec<Value> = (0..25)
        .map(|i| json!({"name": format!("Actor {i}"), "order": i}))
        .collect();
    let payload = json!({"id": 1, "title": "T", "credits": {"cast": cast}});
    let item = map_tmdb_detail(&payload, None).expect("maps");
    assert_eq!(item.cast_names.len(), CAST_LIMIT);
    assert_eq!(item.cast_names[0], "Actor 0");
}

fn ranked(media: MediaType, tmdb_id: i32, popularity: f64, average: f64, votes: i32) -> NewItem {
    let mut item =
        map_tmdb_detail(&json!({"id": tmdb_id, "title": "T"}), Some(media)).expect("maps");
    item.popularity = Some(popularity);
    item.vote_average = Some(average);
    item.vote_count = Some(votes);
    item
}

#[test]
fn popular_ranks_follow_popularity_separately_per_media_type() {
    let mut items = vec![
        ranked(MediaType::Movie, 1, 10.0, 7.0, 100),
        ranked(MediaType::Tv, 1, 5.0, 7.0, 100),
        ranked(MediaType::Movie, 2, 30.0, 7.0, 100),
        ranked(MediaType::Tv, 2, 50.0, 7.0, 100),
    ];
    compute_ranks(&mut items);
    let popular: Vec<_> = items.iter().map(|i| i.popular_rank).collect();
    assert_eq!(popular, [Some(2), Some(2), Some(1), Some(1)]);
    assert!(items.iter().all(|i| i.trending_rank.is_none()));
}

#[test]
fn top_rated_ranks_weigh_ratings_by_vote_count_and_skip_thinly_voted_titles() {
    let mut items = vec![
        ranked(MediaType::Movie, 1, 1.0, 9.0, 60),
        ranked(MediaType::Movie, 2, 1.0, 8.3, 20_000),
        ranked(MediaType::Movie, 3, 1.0, 9.9, 49),
        ranked(MediaType::Movie, 4, 1.0, 5.0, 20_000),
    ];
    compute_ranks(&mut items);
    let top: Vec<_> = items.iter().map(|i| i.top_rated_rank).collect();
    assert_eq!(top, [Some(2), Some(1), None, Some(3)]);
}

#[test]
fn ranks_from_a_real_list_are_left_alone() {
    let mut items = vec![
        ranked(MediaType::Movie, 1, 10.0, 7.0, 100),
        ranked(MediaType::Movie, 2, 30.0, 7.0, 100),
    ];
    items[0].popular_rank = Some(7);
    compute_ranks(&mut items);
    assert_eq!(
        (items[0].popular_rank, items[1].popular_rank),
        (Some(7), None)
    );
    assert!(items[1].top_rated_rank.is_some());
}

#[test]
fn the_original_title_is_kept_for_movies_and_shows() {
    let movie = map_tmdb_detail(
        &json!({"id": 194, "title": "Amélie", "original_title": "Le fabuleux destin d'Amélie Poulain"}),
        Some(MediaType::Movie),
    )
    .expect("maps");
    assert_eq!(
        movie.original_title.as_deref(),
        Some("Le fabuleux destin d'Amélie Poulain")
    );
    let show = map_tmdb_detail(
        &json!({"id": 1, "name": "Dark", "original_name": "Dark"}),
        Some(MediaType::Tv),
    )
    .expect("maps");
    assert_eq!(show.original_title.as_deref(), Some("Dark"));
}

#[test]
fn double_encoded_text_is_repaired_and_real_text_is_left_alone() {
    assert_eq!(
        repair_double_encoding("GiÃ¹ la testa").as_deref(),
        Some("Giù la testa")
    );
    assert_eq!(
        repair_double_encoding("ã‚¢ãƒƒãƒ—ãƒ«ã‚·ãƒ¼ãƒ‰").as_deref(),
        Some("アップルシード")
    );
    assert_eq!(
        repair_double_encoding("One, Two, Three â€“ A scorching comedy").as_deref(),
        Some("One, Two, Three – A scorching comedy")
    );
    for real in [
        "Amélie",
        "Léon: The Professional",
        "アップルシード",
        "Plain",
        "naïve café 3½",
    ] {
        assert_eq!(repair_double_encoding(real), None, "{real}");
    }
    let line = r#"{"id": 7, "media_type": "movie", "title": "Deutschland. Ein SommermÃ¤rchen", "overview": "AdÃ¨le travels", "keywords": ["cafÃ©"]}"#;
    let item = map_line(line);
    assert_eq!(item.title, "Deutschland. Ein Sommermärchen");
    assert_eq!(item.overview.as_deref(), Some("Adèle travels"));
    assert_eq!(item.keywords, vec!["café"]);
}
