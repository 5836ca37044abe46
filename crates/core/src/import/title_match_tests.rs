use super::*;

fn title(id: ItemId, media: MediaType, name: &str, year: i32) -> CatalogTitle {
    CatalogTitle {
        id,
        tmdb_id: id * 10,
        media,
        title: name.to_owned(),
        original_title: None,
        year: Some(year),
        imdb_id: None,
    }
}

/// A few real demo-catalog titles (ids are made up; TMDB ids are id × 10).
fn catalog() -> TitleIndex {
    let mut amelie = title(1, MediaType::Movie, "Amélie", 2001);
    amelie.original_title = Some("Le fabuleux destin d'Amélie Poulain".into());
    amelie.imdb_id = Some("tt0211915".into());
    let mut leon = title(2, MediaType::Movie, "Leon: The Professional", 1994);
    leon.original_title = Some("Léon".into());
    let mut killing_2007 = title(9, MediaType::Tv, "The Killing", 2007);
    killing_2007.imdb_id = Some("tt1637727".into());
    let mut killing_2011 = title(10, MediaType::Tv, "The Killing", 2011);
    killing_2011.imdb_id = Some("tt1637727".into());
    let mut solaris = title(11, MediaType::Movie, "Solaris", 1972);
    solaris.original_title = Some("Солярис".into());
    TitleIndex::new(vec![
        amelie,
        leon,
        title(3, MediaType::Movie, "Se7en", 1995),
        title(4, MediaType::Tv, "The Office", 2005),
        title(5, MediaType::Tv, "The Office", 2001),
        title(6, MediaType::Movie, "Suspiria", 1977),
        title(7, MediaType::Movie, "Suspiria", 2018),
        title(8, MediaType::Movie, "It", 2017),
        killing_2007,
        killing_2011,
        solaris,
        title(12, MediaType::Movie, "Solaris", 2002),
        title(13, MediaType::Tv, "It", 1990),
        title(14, MediaType::Movie, "Ocean's Eleven", 2001),
    ])
}

fn film(name: &str, year: i32) -> TitleRef {
    TitleRef {
        title: name.to_owned(),
        year: Some(year),
        ..TitleRef::default()
    }
}

#[test]
fn normalisation_folds_case_accents_punctuation_and_articles() {
    assert_eq!(
        normalise_title("Léon: The Professional"),
        "leon the professional"
    );
    assert_eq!(normalise_title("Amélie"), normalise_title("AMELIE"));
    assert_eq!(normalise_title("The Office"), "office");
    assert_eq!(normalise_title("Office, The"), "office");
    assert_eq!(normalise_title("The Office (US)"), "office");
    assert_eq!(normalise_title("Ocean's Eleven"), "oceans eleven");
    assert_eq!(normalise_title("Fast & Furious"), "fast and furious");
    assert_eq!(normalise_title("Se7en"), "se7en");
    assert_eq!(normalise_title("Smørrebrød"), "smorrebrod");
    assert_eq!(normalise_title("The"), "the");
}

#[test]
fn accents_in_the_export_or_the_catalog_do_not_matter() {
    let index = catalog();
    assert_eq!(index.find(&film("Amelie", 2001)), Ok(1));
    assert_eq!(index.find(&film("Léon: The Professional", 1994)), Ok(2));
    assert_eq!(index.find(&film("Se7en", 1995)), Ok(3));
}

#[test]
fn a_remake_is_told_apart_by_its_year() {
    let index = catalog();
    assert_eq!(index.find(&film("Suspiria", 1977)), Ok(6));
    assert_eq!(index.find(&film("Suspiria", 2018)), Ok(7));
    // One year off (festival versus release) still matches.
    assert_eq!(index.find(&film("Suspiria", 2017)), Ok(7));
}

#[test]
fn a_title_from_another_year_is_unmatched_with_the_years_found() {
    let index = catalog();
    assert_eq!(
        index.find(&film("Suspiria", 1990)),
        Err(NoMatch::OtherYears(vec![1977, 2018]))
    );
}

#[test]
fn without_a_year_same_titled_shows_are_ambiguous_not_guessed() {
    let index = catalog();
    let wanted = TitleRef {
        title: "The Office".into(),
        media: Some(MediaType::Tv),
        ..TitleRef::default()
    };
    let Err(NoMatch::Ambiguous(cands)) = index.find(&wanted) else {
        panic!("expected an ambiguity");
    };
    let ids: Vec<ItemId> = cands.iter().map(|c| c.id).collect();
    assert_eq!(ids, [4, 5]);
    assert!(
        NoMatch::Ambiguous(cands)
            .reason()
            .contains("The Office (2005, tv, id 4)")
    );
}

#[test]
fn the_office_us_and_uk_are_told_apart_by_year() {
    let index = catalog();
    let us = TitleRef {
        media: Some(MediaType::Tv),
        ..film("The Office", 2005)
    };
    let uk = TitleRef {
        media: Some(MediaType::Tv),
        ..film("The Office", 2001)
    };
    assert_eq!(index.find(&us), Ok(4));
    assert_eq!(index.find(&uk), Ok(5));
}

#[test]
fn a_typo_is_not_corrected() {
    let index = catalog();
    assert_eq!(index.find(&film("Amelia", 2001)), Err(NoMatch::NotFound));
    assert_eq!(index.find(&film("Seven", 1995)), Err(NoMatch::NotFound));
}

#[test]
fn the_catalogs_original_title_is_the_fallback() {
    let index = catalog();
    assert_eq!(
        index.find(&film("Le Fabuleux Destin d'Amélie Poulain", 2001)),
        Ok(1)
    );
    assert_eq!(index.find(&film("Léon", 1994)), Ok(2));
}

#[test]
fn the_exports_original_title_is_tried_too() {
    let index = catalog();
    let wanted = TitleRef {
        title: "The Fabulous Destiny of Amélie Poulain".into(),
        original_title: Some("Le fabuleux destin d'Amélie Poulain".into()),
        year: Some(2001),
        ..TitleRef::default()
    };
    assert_eq!(index.find(&wanted), Ok(1));
}

#[test]
fn films_are_tried_before_series_when_the_export_does_not_say() {
    let index = catalog();
    assert_eq!(index.find(&film("It", 2017)), Ok(8));
    // Letterboxd lists the 1990 miniseries; no film fits, so the series does.
    assert_eq!(index.find(&film("It", 1990)), Ok(13));
}

#[test]
fn ids_win_over_titles() {
    let index = catalog();
    let by_imdb = TitleRef {
        title: "Die fabelhafte Welt der Amélie".into(),
        imdb_id: Some("TT0211915".into()),
        ..TitleRef::default()
    };
    assert_eq!(index.find(&by_imdb), Ok(1));
    let by_tmdb = TitleRef {
        title: "whatever".into(),
        tmdb_id: Some(30),
        media: Some(MediaType::Movie),
        ..TitleRef::default()
    };
    assert_eq!(index.find(&by_tmdb), Ok(3));
}

#[test]
fn a_shared_imdb_id_is_settled_by_the_year_or_reported() {
    let index = catalog();
    let with_year = TitleRef {
        imdb_id: Some("tt1637727".into()),
        media: Some(MediaType::Tv),
        ..film("The Killing", 2011)
    };
    assert_eq!(index.find(&with_year), Ok(10));
    let without = TitleRef {
        title: "The Killing".into(),
        imdb_id: Some("tt1637727".into()),
        ..TitleRef::default()
    };
    assert!(matches!(index.find(&without), Err(NoMatch::Ambiguous(c)) if c.len() == 2));
}

#[test]
fn an_unknown_id_falls_back_to_the_title() {
    let index = catalog();
    let wanted = TitleRef {
        imdb_id: Some("tt9999999".into()),
        tmdb_id: Some(424_242),
        ..film("Ocean's Eleven", 2001)
    };
    assert_eq!(index.find(&wanted), Ok(14));
}
