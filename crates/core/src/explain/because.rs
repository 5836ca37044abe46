//! "Because you watched X": for each candidate, the title in the viewer's recent positive
//! history whose vector is closest, when it is close enough to be a real reason. The
//! original's explanations never referred to the viewer's own history.

use crate::candidate::{Because, Candidate};
use crate::events::{is_negative, is_watchlist};
use crate::item::ItemId;
use crate::vector::{dot, unit};

/// Cosine similarity a history title needs to be named as the reason.
pub const MIN_SIMILARITY: f32 = 0.5;

/// How many recent positive titles are compared.
pub const RECENT_TITLES: usize = 20;

/// The most recent distinct positive titles of a history (oldest-first events), newest first.
/// Watchlist entries are left out: the viewer has not watched them.
pub fn recent_positive_ids(history: &[(ItemId, String)]) -> Vec<ItemId> {
    let mut out: Vec<ItemId> = Vec::new();
    for (id, event) in history.iter().rev() {
        if out.len() == RECENT_TITLES {
            break;
        }
        if !is_negative(event) && !is_watchlist(event) && !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Sets `because` on every candidate that has none yet (the taste model's reason comes
/// first) and whose closest watched title (`watched`: title and vector) reaches
/// `min_similarity`; ties go to the earlier (more recent) title.
pub fn attach_because(
    cands: &mut [Candidate],
    watched: &[(String, Vec<f32>)],
    min_similarity: f32,
) {
    // Unit vectors once, so each pair costs one dot product instead of three.
    let watched: Vec<(&String, Vec<f32>)> = watched
        .iter()
        .filter_map(|(title, v)| Some((title, unit(v)?)))
        .collect();
    if watched.is_empty() {
        return;
    }
    for c in cands.iter_mut().filter(|c| c.because.is_none()) {
        let Some(v) = c.vector.as_deref().and_then(unit) else {
            continue;
        };
        let best = watched
            .iter()
            .map(|(title, w)| (*title, dot(&v, w)))
            .filter(|(_, sim)| sim.is_finite())
            .fold(None::<(&String, f32)>, |best, (title, sim)| match best {
                Some((_, b)) if b >= sim => best,
                _ => Some((title, sim)),
            });
        c.because = best
            .filter(|(_, sim)| *sim >= min_similarity)
            .map(|(title, _)| Because {
                title: title.clone(),
                liked: false,
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, MediaType};

    fn title(c: &Candidate) -> Option<&str> {
        c.because.as_ref().map(|b| b.title.as_str())
    }

    fn cand(id: ItemId, v: Vec<f32>) -> Candidate {
        Candidate::new(Item::bare(id, MediaType::Movie, "c"), Some(v.into()), 0)
    }

    #[test]
    fn the_closest_watched_title_is_the_reason_when_close_enough() {
        let watched = vec![
            ("Toy Story".to_owned(), vec![1.0, 0.0]),
            ("Alien".to_owned(), vec![0.0, 1.0]),
        ];
        let mut cands = vec![
            cand(1, vec![0.9, 0.1]),
            cand(2, vec![0.2, 0.98]),
            cand(3, vec![-1.0, 0.0]),
        ];
        attach_because(&mut cands, &watched, MIN_SIMILARITY);
        assert_eq!(title(&cands[0]), Some("Toy Story"));
        assert_eq!(title(&cands[1]), Some("Alien"));
        assert_eq!(cands[2].because, None);
    }

    #[test]
    fn the_models_reason_is_kept() {
        let watched = vec![("Toy Story".to_owned(), vec![1.0, 0.0])];
        let mut cands = vec![cand(1, vec![1.0, 0.0])];
        cands[0].because = Some(Because {
            title: "Up".to_owned(),
            liked: true,
        });
        attach_because(&mut cands, &watched, MIN_SIMILARITY);
        assert_eq!(title(&cands[0]), Some("Up"));
    }

    #[test]
    fn recent_positive_titles_come_newest_first_without_rejections_or_repeats() {
        let history = vec![
            (1, "watched".to_owned()),
            (2, "not_interested".to_owned()),
            (3, "liked".to_owned()),
            (1, "liked".to_owned()),
        ];
        assert_eq!(recent_positive_ids(&history), vec![1, 3]);
    }

    #[test]
    fn a_watchlisted_title_is_never_a_reason() {
        let history = vec![(1, "watched".to_owned()), (4, "watchlist".to_owned())];
        assert_eq!(recent_positive_ids(&history), vec![1]);
    }
}
