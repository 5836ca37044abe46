//! The suite's verdicts: each check prints one line as it is decided, and the tally ends the
//! run as `N passed, M failed` (the format CI reads).

/// Pass/fail tally.
#[derive(Debug, Default)]
pub struct Checks {
    passed: usize,
    failed: usize,
}

impl Checks {
    /// Records one check and prints it.
    pub fn check(&mut self, ok: bool, what: impl AsRef<str>) {
        if ok {
            self.passed += 1;
            println!("  ok    {}", what.as_ref());
        } else {
            self.failed += 1;
            println!("  FAIL  {}", what.as_ref());
        }
    }

    /// True when no check failed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }

    /// The final line.
    pub fn tally(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}
