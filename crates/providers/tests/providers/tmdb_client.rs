//! The requests the TMDB client sends, and what it makes of real response shapes.

use crate::helpers::{KEY, fixture, settings};
use seen_core::item::MediaType;
use seen_providers::tmdb::{LinkedEntities, ListKind, linked_from_search_response};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_popular_page_is_requested_with_page_and_api_key_and_keeps_entry_positions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/movie/popular"))
        .and(query_param("page", "1"))
        .and(query_param("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_popular_page1.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let page = client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect("page 1");

    assert_eq!(page.ids, vec![Some(157336), Some(603), None]);
    assert_eq!(page.total_pages, Some(500));
}

#[tokio::test]
async fn top_rated_and_trending_use_their_own_paths() {
    let server = MockServer::start().await;
    let body = fixture("movie_popular_page1.json");
    for route in ["/tv/top_rated", "/trending/tv/day"] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = settings(&server, KEY).client().expect("valid settings");

    client
        .list_page(MediaType::Tv, ListKind::TopRated, 2)
        .await
        .expect("top rated");
    client
        .list_page(MediaType::Tv, ListKind::Trending, 2)
        .await
        .expect("trending");
}

#[tokio::test]
async fn movie_details_append_credits_keywords_and_release_dates_in_one_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/movie/603"))
        .and(query_param("language", "en-US"))
        .and(query_param(
            "append_to_response",
            "credits,keywords,release_dates",
        ))
        .and(query_param("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_details.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let details = client
        .details(MediaType::Movie, 603)
        .await
        .expect("details");

    assert_eq!(details["title"], "The Matrix");
    assert_eq!(details["credits"]["cast"][0]["name"], "Keanu Reeves");
    assert_eq!(details["release_dates"]["results"][1]["iso_3166_1"], "US");
}

#[tokio::test]
async fn tv_details_append_content_ratings_instead_of_release_dates() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tv/1399"))
        .and(query_param("language", "en-US"))
        .and(query_param(
            "append_to_response",
            "credits,keywords,content_ratings",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("tv_details.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let details = client.details(MediaType::Tv, 1399).await.expect("details");

    assert_eq!(details["name"], "Game of Thrones");
    assert_eq!(details["content_ratings"]["results"][2]["rating"], "TV-MA");
}

#[tokio::test]
async fn a_v4_token_goes_in_the_authorization_header_and_not_in_the_query() {
    let server = MockServer::start().await;
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.sig";
    Mock::given(method("GET"))
        .and(path("/movie/603"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(query_param_is_missing("api_key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_details.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, token).client().expect("valid settings");

    client
        .details(MediaType::Movie, 603)
        .await
        .expect("details");
}

#[tokio::test]
async fn a_base_url_with_a_version_prefix_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/3/movie/popular"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("movie_popular_page1.json")))
        .expect(1)
        .mount(&server)
        .await;
    let mut settings = settings(&server, KEY);
    settings.base_url = format!("{}/3/", server.uri());
    let client = settings.client().expect("valid settings");

    client
        .list_page(MediaType::Movie, ListKind::Popular, 1)
        .await
        .expect("page");
}

#[tokio::test]
async fn a_multi_search_as_the_linker_sends_it_links_movies_shows_and_people() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search/multi"))
        .and(query_param("query", "interstellar nolan"))
        .and(query_param("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("search_multi.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = settings(&server, KEY).client().expect("valid settings");

    let (_, body) = client
        .get(&["search", "multi"], &[("query", "interstellar nolan")])
        .await
        .expect("search");
    let linked = linked_from_search_response(&body);

    let expected = LinkedEntities {
        movie: vec![157336, 301502],
        tv: vec![86831],
        person: vec![525],
    };
    assert_eq!(linked, expected);
}
