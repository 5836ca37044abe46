//! Soft intent signals: `boost_genres` and `include_people` lift matching titles without
//! filtering anything out (the original parsed both and then ignored them, §10.3), and with
//! several requested genres, titles having more of them rank higher.
//!
//! The bonus is added to the mixer score, so it competes with the other evidence instead of
//! overriding it: a strong match on the query still beats a weak title that merely stars the
//! requested actor.

use crate::candidate::Candidate;
use crate::intent::IntentFilters;
use crate::item::ItemId;
use crate::mixer::{permute, reset_ranks, stable_order};
use serde::Serialize;

/// Score bonuses for the soft intent signals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntentBoostSettings {
    /// Added once when the title has any of the boost genres.
    pub genre_bonus: f64,
    /// Added once when the title features any of the requested people.
    pub person_bonus: f64,
    /// With several requested genres, added in full to a title having all of them and in
    /// part to one having some ("rom-com" asks for Romance and Comedy: a comedy alone is
    /// a weaker answer, though the genre filter lets it through).
    pub genre_coverage_bonus: f64,
    /// Added once when the title carries one of the request's tags ("heist").
    pub tag_bonus: f64,
}

impl Default for IntentBoostSettings {
    fn default() -> Self {
        IntentBoostSettings {
            genre_bonus: 0.08,
            person_bonus: 0.2,
            genre_coverage_bonus: 0.15,
            tag_bonus: 0.15,
        }
    }
}

/// What the boost did to one title (for the debug trace and explanations).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoostEffect {
    pub id: ItemId,
    /// The matched boost genres and people, as written in the intent.
    pub matched: Vec<String>,
    pub bonus: f64,
}

/// Adds the people the entity linker found in the query to the intent's people (boosted, not
/// filtered), skipping ones already there in any case.
pub fn add_linked_people(filters: &mut IntentFilters, people: &[String]) {
    for person in people {
        if !filters
            .include_people
            .iter()
            .any(|p| p.eq_ignore_ascii_case(person))
        {
            filters.include_people.push(person.clone());
        }
    }
}

/// Adds the bonuses to `retrieval_score`, re-sorts stably (score desc, previous rank asc)
/// and returns what changed. Nothing moves when the intent has no soft signals.
pub fn apply_intent_boosts(
    cands: &mut Vec<Candidate>,
    filters: &IntentFilters,
    s: &IntentBoostSettings,
) -> Vec<BoostEffect> {
    let several_genres = filters.genres.len() >= 2;
    if filters.boost_genres.is_empty()
        && filters.include_people.is_empty()
        && filters.tags.is_empty()
        && !several_genres
    {
        return Vec::new();
    }
    let mut effects = Vec::new();
    for c in cands.iter_mut() {
        let genres: Vec<&String> = filters
            .boost_genres
            .iter()
            .filter(|g| c.item.has_genre_ci(g))
            .collect();
        let people: Vec<&String> = filters
            .include_people
            .iter()
            .filter(|p| c.item.features_person(p))
            .collect();
        let covered: Vec<&String> = if several_genres {
            filters
                .genres
                .iter()
                .filter(|g| c.item.has_genre_ci(g))
                .collect()
        } else {
            Vec::new()
        };
        let tagged = c.item.has_tag(&filters.tags);
        let coverage = match covered.len() {
            0 | 1 => 0.0,
            k => s.genre_coverage_bonus * (k - 1) as f64 / (filters.genres.len() - 1) as f64,
        };
        let bonus = if genres.is_empty() {
            0.0
        } else {
            s.genre_bonus
        } + if people.is_empty() {
            0.0
        } else {
            s.person_bonus
        } + coverage
            + if tagged { s.tag_bonus } else { 0.0 };
        // The matched list names the boost genres and, with a coverage bonus, the requested ones.
        let mut genres = genres;
        if coverage > 0.0 {
            for g in covered {
                if !genres.iter().any(|m| m.eq_ignore_ascii_case(g)) {
                    genres.push(g);
                }
            }
        }
        if bonus > 0.0 {
            c.retrieval_score += bonus;
            let tags = filters
                .tags
                .iter()
                .filter(|t| tagged && c.item.has_tag(std::slice::from_ref(t)));
            effects.push(BoostEffect {
                id: c.item.id,
                matched: genres
                    .into_iter()
                    .chain(people)
                    .chain(tags)
                    .cloned()
                    .collect(),
                bonus,
            });
        }
    }
    if !effects.is_empty() {
        let order = stable_order(cands, |a, b| {
            b.retrieval_score
                .total_cmp(&a.retrieval_score)
                .then(a.original_rank.cmp(&b.original_rank))
        });
        permute(cands, &order);
        reset_ranks(cands);
    }
    effects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Genre, Item, MediaType};
    use std::sync::Arc;

    fn cand(id: ItemId, score: f64, genre: &str, cast: &[&str]) -> Candidate {
        let mut item = Item::bare(id, MediaType::Movie, &format!("T{id}"));
        item.genres = vec![Genre {
            id: None,
            name: genre.into(),
        }];
        item.cast_names = cast.iter().map(|s| (*s).to_owned()).collect();
        let mut c = Candidate::new(item, None, id as usize);
        c.retrieval_score = score;
        c
    }

    fn ids(c: &[Candidate]) -> Vec<ItemId> {
        c.iter().map(|c| c.item.id).collect()
    }

    #[test]
    fn a_title_with_every_requested_genre_passes_one_with_only_one() {
        let mut comedy = cand(1, 0.60, "Comedy", &[]);
        let mut romcom = cand(2, 0.50, "Comedy", &[]);
        Arc::make_mut(&mut romcom.item).genres.push(Genre {
            id: None,
            name: "Romance".into(),
        });
        comedy.retrieval_score = 0.60;
        let mut cands = vec![comedy, romcom];
        let filters = IntentFilters {
            genres: vec!["Romance".into(), "Comedy".into()],
            ..Default::default()
        };
        let effects = apply_intent_boosts(&mut cands, &filters, &IntentBoostSettings::default());
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(effects.len(), 1);
        assert!((effects[0].bonus - 0.15).abs() < 1e-12);
    }

    #[test]
    fn a_tagged_title_passes_a_closer_untagged_one() {
        let mut tagged = cand(2, 0.50, "Crime", &[]);
        Arc::make_mut(&mut tagged.item).keywords = vec!["Bank Robbery".into()];
        let mut cands = vec![cand(1, 0.60, "Crime", &[]), tagged];
        let filters = IntentFilters {
            tags: vec!["heist".into(), "bank robbery".into()],
            ..Default::default()
        };
        let effects = apply_intent_boosts(&mut cands, &filters, &IntentBoostSettings::default());
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(effects.len(), 1);
        assert_eq!(effects[0].matched, vec!["bank robbery".to_owned()]);
        assert!((effects[0].bonus - 0.15).abs() < 1e-12);
    }

    #[test]
    fn a_requested_actor_lifts_a_close_title_above_its_neighbour() {
        let mut cands = vec![
            cand(1, 0.60, "Drama", &["Someone Else"]),
            cand(2, 0.50, "Drama", &["Viola Davis"]),
        ];
        let filters = IntentFilters {
            include_people: vec!["viola davis".into()],
            ..Default::default()
        };
        let effects = apply_intent_boosts(&mut cands, &filters, &IntentBoostSettings::default());
        assert_eq!(ids(&cands), vec![2, 1]);
        assert_eq!(effects.len(), 1);
        assert_eq!(effects[0].matched, vec!["viola davis".to_owned()]);
        assert_eq!(cands[0].original_rank, 0);
    }

    #[test]
    fn a_boost_genre_adds_a_bonus_but_does_not_filter() {
        let mut cands = vec![
            cand(1, 0.9, "Drama", &[]),
            cand(2, 0.5, "Comedy", &[]),
            cand(3, 0.45, "Drama", &[]),
        ];
        let filters = IntentFilters {
            boost_genres: vec!["Comedy".into()],
            ..Default::default()
        };
        apply_intent_boosts(&mut cands, &filters, &IntentBoostSettings::default());
        assert_eq!(ids(&cands), vec![1, 2, 3]);
        assert!((cands[1].retrieval_score - 0.58).abs() < 1e-9);
    }

    #[test]
    fn without_soft_signals_nothing_changes() {
        let mut cands = vec![cand(1, 0.1, "Drama", &[]), cand(2, 0.9, "Drama", &[])];
        let effects =
            apply_intent_boosts(&mut cands, &IntentFilters::default(), &Default::default());
        assert!(effects.is_empty());
        assert_eq!(ids(&cands), vec![1, 2]);
    }

    #[test]
    fn linked_people_join_the_intent_once_in_any_case() {
        let mut filters = IntentFilters {
            include_people: vec!["Tom Hanks".into()],
            ..IntentFilters::default()
        };
        add_linked_people(&mut filters, &["tom hanks".into(), "Meg Ryan".into()]);
        assert_eq!(filters.include_people, vec!["Tom Hanks", "Meg Ryan"]);
    }
}
