//! Benchmarks of the pure ranking stages on a realistic candidate list: 500 candidates
//! with 384-d unit vectors (MiniLM's size), as hydration hands them to the mixer.
//!
//! Plus the in-memory nearest-neighbour scan over a demo-sized catalog.
//!
//! Run with `cargo bench -p seen-core --bench stages -- --quick`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use seen_core::candidate::Candidate;
use seen_core::catalog_copy::{CatalogCopy, CatalogEntry, CatalogTitle};
use seen_core::intent::IntentFilters;
use seen_core::item::{Genre, Item, MediaType};
use seen_core::mixer::{MixerWeights, RatingScope, mix};
use seen_core::mmr::{MmrSettings, diversify_all};
use seen_core::rules::BusinessRules;
use seen_core::vector::{EMBEDDING_DIM, unit};
use std::collections::HashSet;
use std::hint::black_box;

const N: usize = 500;
const GENRES: [&str; 6] = ["Drama", "Comedy", "Action", "Horror", "Romance", "Thriller"];

/// A tiny deterministic generator (xorshift64*), so runs are comparable without `rand`.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn candidates() -> Vec<Candidate> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..N)
        .map(|i| {
            let id = i32::try_from(i).expect("N fits in i32") + 1;
            let mut item = Item::bare(id, MediaType::Movie, "title");
            item.popularity = Some(rng.next_f64() * 200.0);
            item.vote_count = Some((rng.next_f64() * 20_000.0) as i32);
            item.release_year = Some(1970 + (rng.next_f64() * 55.0) as i32);
            item.genres = vec![Genre {
                id: None,
                name: GENRES[i % GENRES.len()].to_owned(),
            }];
            let raw: Vec<f32> = (0..EMBEDDING_DIM)
                .map(|_| (rng.next_f64() - 0.5) as f32)
                .collect();
            let mut c = Candidate::new(item, unit(&raw).map(Into::into), i);
            c.source_scores.ann = Some(rng.next_f64());
            if i % 5 == 0 {
                c.source_scores.collab = Some(rng.next_f64());
            }
            c
        })
        .collect()
}

fn mixed() -> Vec<Candidate> {
    let mut cands = candidates();
    mix(&mut cands, &MixerWeights::default(), RatingScope::default());
    cands
}

fn bench_mixer(c: &mut Criterion) {
    let weights = MixerWeights::default();
    c.bench_function("mixer/mix_500", |b| {
        b.iter_batched(
            candidates,
            // Return the list too, so that freeing it is not timed.
            |mut cands| {
                let breakdowns = mix(&mut cands, &weights, RatingScope::default());
                black_box((cands, breakdowns))
            },
            BatchSize::LargeInput,
        )
    });
}

fn bench_mmr(c: &mut Criterion) {
    let settings = MmrSettings::default();
    c.bench_function("mmr/diversify_all_500_page_20", |b| {
        b.iter_batched(
            mixed,
            |cands| black_box(diversify_all(cands, 20, &settings)),
            BatchSize::LargeInput,
        )
    });
}

fn bench_rules(c: &mut Criterion) {
    let rules = BusinessRules::from_json(&serde_json::json!({
        "filters": {"exclude_genres": ["Horror"], "min_vote_count": 100, "max_release_year": 2024},
        "boosts": {
            "genre_multipliers": {"Comedy": 1.2, "Drama": 0.9},
            "recent_release": {"year": 2020, "bonus": 0.05},
            "popularity_multiplier": {"threshold": 150, "factor": 1.1}
        }
    }));
    let intent = IntentFilters::default();
    c.bench_function("rules/apply_500", |b| {
        b.iter_batched(
            mixed,
            |cands| black_box(rules.apply(cands, &intent)),
            BatchSize::LargeInput,
        )
    });
}

/// The in-memory nearest-neighbour scan over a demo-sized catalog (19,729 titles).
fn bench_nearest(c: &mut Criterion) {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut vector = || {
        let raw: Vec<f32> = (0..EMBEDDING_DIM)
            .map(|_| (rng.next_f64() - 0.5) as f32)
            .collect();
        unit(&raw)
    };
    let titles: Vec<CatalogTitle> = (1..=19_729)
        .map(|id| CatalogTitle {
            entry: CatalogEntry {
                item: Item::bare(id, MediaType::Movie, "title").into(),
                vector: vector().map(Into::into),
                watch_options: Vec::new(),
            },
            genre_keys: Vec::new(),
        })
        .collect();
    let copy = CatalogCopy::new(1, titles);
    let query = vector().unwrap_or_default();
    // A heavy MovieLens viewer's history is excluded.
    let exclude: HashSet<i32> = (1..=19_729).step_by(10).collect();
    c.bench_function(
        "nearest 60 of 19,729 titles (8-bit shortlist + exact rescoring)",
        |b| b.iter(|| black_box(copy.nearest(&query, &exclude, None, 60))),
    );
}

criterion_group!(stages, bench_mixer, bench_mmr, bench_rules, bench_nearest);
criterion_main!(stages);
