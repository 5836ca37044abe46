//! One background reload at a time, and not more often than a minimum interval: shared by the
//! in-memory copies that requests find stale (the catalog copy, the taste model).

use parking_lot::Mutex;
use std::time::{Duration, Instant};

/// Whether a reload may start now.
pub struct ReloadGate {
    min_interval: Duration,
    state: Mutex<GateState>,
}

#[derive(Default)]
struct GateState {
    running: bool,
    last_start: Option<Instant>,
}

impl ReloadGate {
    pub fn new(min_interval: Duration) -> ReloadGate {
        ReloadGate {
            min_interval,
            state: Mutex::new(GateState::default()),
        }
    }

    /// True (and the gate is now held) unless a reload is running or one started less than
    /// the minimum interval ago. A holder calls [`ReloadGate::finish`] when done.
    pub fn try_start(&self) -> bool {
        let mut state = self.state.lock();
        let recent = state
            .last_start
            .is_some_and(|t| t.elapsed() < self.min_interval);
        if state.running || recent {
            return false;
        }
        state.running = true;
        state.last_start = Some(Instant::now());
        true
    }

    /// The reload that [`ReloadGate::try_start`] let through has ended.
    pub fn finish(&self) {
        self.state.lock().running = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_reload_at_a_time_and_not_too_often() {
        let gate = ReloadGate::new(Duration::from_secs(3600));
        assert!(gate.try_start());
        assert!(!gate.try_start(), "one is running");
        gate.finish();
        assert!(!gate.try_start(), "the last one started too recently");
        let eager = ReloadGate::new(Duration::ZERO);
        assert!(eager.try_start());
        eager.finish();
        assert!(eager.try_start());
    }
}
