//! Benchmark of scoring one user with the taste model, on a model of the demo's size: a
//! synthetic MovieLens-like history (610 users, ~100k events over 9,000 titles, skewed
//! popularity) fitted with the default parameters, then a user with 200 history events.
//!
//! Run with `cargo bench -p seen-core --bench taste -- --quick`.

use criterion::{Criterion, criterion_group, criterion_main};
use seen_core::taste::{HistoryMatrix, HistoryOrder, TasteEvent, TasteModel, TasteParams, fit};
use std::hint::black_box;
use std::time::Instant;

const USERS: usize = 610;
const ITEMS: f64 = 9_000.0;
const EVENTS: [&str; 3] = ["liked", "watched", "disliked"];

/// A tiny deterministic generator (xorshift64*), so runs are comparable without `rand`.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A title with popularity skewed towards low ids, shifted by a per-user taste.
    fn title(&mut self, taste: f64) -> i32 {
        let skewed = self.next_f64().powi(3);
        ((skewed + taste).fract() * ITEMS) as i32 + 1
    }

    fn history(&mut self, len: usize) -> Vec<TasteEvent> {
        let taste = self.next_f64() * 0.05;
        (0..len)
            .map(|_| {
                let kind = EVENTS[(self.next_f64() * 2.4) as usize];
                TasteEvent::new(self.title(taste), kind)
            })
            .collect()
    }
}

fn demo_sized_model(rng: &mut Rng) -> TasteModel {
    let mut history = HistoryMatrix::new();
    for _ in 0..USERS {
        // 20 to ~1,000 events, most users near the low end (mean ~165).
        let len = 20 + (rng.next_f64().powi(3) * 1_000.0) as usize;
        history.push_user(&rng.history(len));
    }
    let started = Instant::now();
    let mut stage = |s| eprintln!("{:>6.1} s {s:?}", started.elapsed().as_secs_f64());
    let model = fit(&history, &TasteParams::default(), &mut stage).expect("the history fits");
    eprintln!(
        "fitted {} users, {} titles, {} weights, {} transitions in {:.1} s",
        model.stats().users,
        model.items().len(),
        model.weight_count(),
        model.transitions().len(),
        started.elapsed().as_secs_f64()
    );
    model
}

fn bench_score(c: &mut Criterion) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let model = demo_sized_model(&mut rng);
    let user = rng.history(200);
    // Timed: recency and the order signal on, the dearer of the two ways to score.
    c.bench_function("taste score one user (200 events, top 60)", |b| {
        b.iter(|| black_box(model.score(black_box(&user), HistoryOrder::Timed, 60)));
    });
}

criterion_group!(taste, bench_score);
criterion_main!(taste);
