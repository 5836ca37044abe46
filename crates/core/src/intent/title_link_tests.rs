use super::*;

fn entry(id: ItemId, media_type: MediaType, title: &str, popularity: f64) -> TitleEntry {
    TitleEntry {
        id,
        media_type,
        title: title.to_owned(),
        popularity,
    }
}

fn index() -> TitleIndex {
    TitleIndex::new([
        entry(1, MediaType::Tv, "Breaking Bad", 300.0),
        entry(2, MediaType::Movie, "Breaking Away", 12.0),
        entry(3, MediaType::Tv, "Friends", 250.0),
        entry(4, MediaType::Movie, "Just Friends", 40.0),
        entry(5, MediaType::Movie, "Your Friends & Neighbors", 8.0),
        entry(6, MediaType::Movie, "Dune", 400.0),
        entry(7, MediaType::Movie, "Dune", 60.0),
        entry(8, MediaType::Tv, "Dune", 20.0),
        entry(9, MediaType::Movie, "Spirited Away", 150.0),
        entry(10, MediaType::Movie, "Alien", 120.0),
        entry(11, MediaType::Movie, "Aliens", 110.0),
        entry(12, MediaType::Movie, "!!!", 1.0),
    ])
}

fn linked(query: &str) -> Option<ItemId> {
    let index = index();
    link_similar_title(&index, query).map(|e| e.id)
}

#[test]
fn like_phrasings_link_the_named_title() {
    assert_eq!(linked("shows like Breaking Bad"), Some(1));
    assert_eq!(linked("more like breaking bad please"), Some(1));
    assert_eq!(linked("something similar to Spirited Away"), Some(9));
    assert_eq!(linked("if I liked Alien, what next?"), Some(10));
    assert_eq!(linked("Spirited Away-style"), Some(9));
    assert_eq!(linked("like Aliens but funnier"), Some(11));
}

#[test]
fn friends_is_the_show_not_a_longer_title_with_the_word() {
    assert_eq!(linked("sitcoms like Friends"), Some(3));
    assert_eq!(linked("movies like friends"), Some(3));
}

#[test]
fn typos_still_link_but_loose_matches_do_not() {
    assert_eq!(linked("shows like breking bad"), Some(1));
    assert_eq!(linked("like spirted away"), Some(9));
    assert_eq!(linked("movies like Interstellar"), None);
    assert_eq!(linked("like breaking"), None);
}

#[test]
fn remakes_go_to_the_named_media_type_then_the_most_popular() {
    assert_eq!(linked("movies like Dune"), Some(6));
    assert_eq!(linked("shows like Dune"), Some(8));
    assert_eq!(linked("something like Dune"), Some(6));
}

#[test]
fn requests_without_a_similarity_phrase_link_nothing() {
    assert_eq!(linked("a scary movie"), None);
    assert_eq!(linked("dune"), None);
    assert_eq!(similar_title_phrase("like"), None);
}

#[test]
fn the_phrase_stops_at_a_clause_and_remembers_the_media_type() {
    assert_eq!(
        similar_title_phrase("shows like Breaking Bad, but shorter"),
        Some(("Breaking Bad".to_owned(), Some(MediaType::Tv)))
    );
    assert_eq!(
        similar_title_phrase("films like Heat from the 90s"),
        Some(("Heat".to_owned(), Some(MediaType::Movie)))
    );
    assert_eq!(
        similar_title_phrase("similar to Alien"),
        Some(("Alien".to_owned(), None))
    );
}

#[test]
fn titles_that_normalise_to_nothing_are_not_indexed() {
    assert_eq!(index().len(), 11);
    assert!(TitleIndex::default().is_empty());
}

#[test]
fn namesakes_are_the_other_titles_of_one_name_and_media_type() {
    let index = index();
    assert_eq!(index.namesakes(6), vec![7]);
    assert_eq!(
        index.namesakes(8),
        Vec::<ItemId>::new(),
        "the show has no namesake"
    );
    assert_eq!(
        index.namesakes(10),
        Vec::<ItemId>::new(),
        "Aliens is another title"
    );
    assert_eq!(index.namesakes(99), Vec::<ItemId>::new(), "unknown id");
}

#[test]
fn i_loved_x_links_x() {
    assert_eq!(linked("I loved Alien, what else?"), Some(10));
    assert_eq!(linked("i really enjoyed spirited away what next"), Some(9));
    assert_eq!(linked("I liked Breaking Bad"), Some(1));
}

#[test]
fn a_title_with_so_in_it_stays_whole() {
    let index = TitleIndex::new([entry(
        1,
        MediaType::Movie,
        "So I Married an Axe Murderer",
        20.0,
    )]);
    assert_eq!(
        link_similar_title(&index, "movies like So I Married an Axe Murderer").map(|e| e.id),
        Some(1)
    );
}
