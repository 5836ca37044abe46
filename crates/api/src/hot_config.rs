//! Config files that reload while the server runs: business rules and explanation templates.
//!
//! Each file is read once at start. A debounced watcher on their directories then re-reads
//! them after a create, modify, remove or rename that names one of them, and swaps them in only
//! when their bytes changed. Two things keep an idle server idle: open/access events are ignored
//! (reading a file raises one, so reacting to it would reload forever), and an event whose file
//! reads back unchanged (a `touch`, a save of the same text) does nothing and logs nothing.
//! Debouncing turns an editor's save (truncate, write, rename) into one reload.
//!
//! A missing file means "no rules" / default templates; an invalid file logs a warning and
//! falls back the same way, as the original.

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use parking_lot::{Mutex, RwLock};
use seen_core::explain::Templates;
use seen_core::rules::BusinessRules;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long the watcher waits for a burst of events to settle before re-reading.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// The current rules and templates, swapped atomically on change.
pub struct HotConfig {
    rules_path: PathBuf,
    templates_path: PathBuf,
    rules: RwLock<Arc<BusinessRules>>,
    templates: RwLock<Arc<Templates>>,
    /// Digest of both files' bytes as last loaded; a reload happens only when it changes.
    /// The mutex also keeps two reloads from interleaving.
    digest: Mutex<[u8; 32]>,
    reloads: AtomicU64,
}

/// Keeps the file watcher alive; dropping it stops reloading.
pub struct ConfigWatcher {
    _watcher: Option<Debouncer<RecommendedWatcher, RecommendedCache>>,
}

impl HotConfig {
    /// Loads both files and starts watching their directories.
    pub fn start(rules_path: PathBuf, templates_path: PathBuf) -> (Arc<Self>, ConfigWatcher) {
        let (rules_text, templates_text) = (read(&rules_path), read(&templates_path));
        let config = Arc::new(HotConfig {
            rules: RwLock::new(Arc::new(parse_rules(&rules_path, rules_text.as_deref()))),
            templates: RwLock::new(Arc::new(parse_templates(
                &templates_path,
                templates_text.as_deref(),
            ))),
            digest: Mutex::new(digest(rules_text.as_deref(), templates_text.as_deref())),
            reloads: AtomicU64::new(0),
            rules_path,
            templates_path,
        });
        let watcher = config.watch();
        (config, ConfigWatcher { _watcher: watcher })
    }

    /// The business rules in force.
    pub fn rules(&self) -> Arc<BusinessRules> {
        self.rules.read().clone()
    }

    /// The explanation templates in force.
    pub fn templates(&self) -> Arc<Templates> {
        self.templates.read().clone()
    }

    /// How many times the files were reloaded because their content changed.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Re-reads both files and swaps them in if their bytes changed; returns whether they did.
    pub fn reload_if_changed(&self) -> bool {
        let mut last = self.digest.lock();
        let (rules_text, templates_text) = (read(&self.rules_path), read(&self.templates_path));
        let now = digest(rules_text.as_deref(), templates_text.as_deref());
        if now == *last {
            return false;
        }
        *self.rules.write() = Arc::new(parse_rules(&self.rules_path, rules_text.as_deref()));
        *self.templates.write() = Arc::new(parse_templates(
            &self.templates_path,
            templates_text.as_deref(),
        ));
        *last = now;
        self.reloads.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("seenemall_config_reloads_total").increment(1);
        tracing::info!(
            rules = %self.rules_path.display(),
            templates = %self.templates_path.display(),
            "config files changed; reloaded"
        );
        true
    }

    fn watch(self: &Arc<Self>) -> Option<Debouncer<RecommendedWatcher, RecommendedCache>> {
        let weak = Arc::downgrade(self);
        let names: Vec<PathBuf> = [&self.rules_path, &self.templates_path]
            .iter()
            .filter_map(|p| p.file_name().map(PathBuf::from))
            .collect();
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let touches_ours = events.iter().any(|event| {
                is_content_event(&event.kind)
                    && event.paths.iter().any(|p| {
                        p.file_name()
                            .is_some_and(|n| names.iter().any(|ours| ours == n))
                    })
            });
            if let (true, Some(config)) = (touches_ours, weak.upgrade()) {
                config.reload_if_changed();
            }
        };
        let mut debouncer = match new_debouncer(DEBOUNCE, None, handler) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch config files; changes need a restart");
                return None;
            }
        };
        let mut dirs: Vec<PathBuf> = [&self.rules_path, &self.templates_path]
            .iter()
            .map(|p| parent_dir(p))
            .collect();
        dirs.dedup();
        for dir in dirs {
            if let Err(e) = debouncer.watch(&dir, RecursiveMode::NonRecursive) {
                tracing::warn!(dir = %dir.display(), error = %e, "cannot watch config directory");
            }
        }
        Some(debouncer)
    }
}

/// Events that can change a file's bytes; opening or reading one (`Access`) cannot.
fn is_content_event(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file's text, or `None` when it cannot be read (missing counts as "no file").
fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn digest(rules: Option<&str>, templates: Option<&str>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for text in [rules, templates] {
        // A length prefix (or a marker for a missing file) keeps ("ab", "") ≠ ("a", "b").
        match text {
            Some(t) => {
                hasher.update((t.len() as u64).to_le_bytes());
                hasher.update(t.as_bytes());
            }
            None => hasher.update(u64::MAX.to_le_bytes()),
        }
    }
    hasher.finalize().into()
}

fn parse_rules(path: &Path, text: Option<&str>) -> BusinessRules {
    let Some(text) = text else {
        return BusinessRules::default();
    };
    match serde_json::from_str(text) {
        Ok(value) => BusinessRules::from_json(&value),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "invalid business rules JSON; using no rules");
            BusinessRules::default()
        }
    }
}

fn parse_templates(path: &Path, text: Option<&str>) -> Templates {
    let Some(text) = text else {
        return Templates::default();
    };
    Templates::try_from_json(text).unwrap_or_else(|e| {
        tracing::warn!(path = %path.display(), error = %e, "invalid explanation templates; using defaults");
        Templates::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    const RULES: &str = r#"{"rules": []}"#;
    const TEMPLATES: &str = "{}";

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let rules = dir.path().join("business_rules.json");
        let templates = dir.path().join("explanation_templates.json");
        std::fs::write(&rules, RULES).expect("write rules");
        std::fs::write(&templates, TEMPLATES).expect("write templates");
        (dir, rules, templates)
    }

    /// Waits past the debounce window, polling until `reloads` reaches `at_least`.
    fn settle(config: &HotConfig, at_least: u64) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while config.reloads() < at_least && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Longer than the debounce window, so a second (wrong) reload would have happened.
        std::thread::sleep(DEBOUNCE * 4);
    }

    #[test]
    fn reading_the_files_many_times_triggers_no_reload() {
        let (_dir, rules, templates) = setup();
        let (config, _watcher) = HotConfig::start(rules.clone(), templates.clone());

        for _ in 0..200 {
            std::fs::read_to_string(&rules).expect("read rules");
            std::fs::read_to_string(&templates).expect("read templates");
        }
        settle(&config, 0);

        assert_eq!(config.reloads(), 0);
    }

    #[test]
    fn one_real_edit_triggers_exactly_one_reload() {
        let (_dir, rules, templates) = setup();
        let (config, _watcher) = HotConfig::start(rules.clone(), templates);

        std::fs::write(&rules, r#"{"rules": [], "edited": true}"#).expect("edit rules");
        settle(&config, 1);

        assert_eq!(config.reloads(), 1);
    }

    #[test]
    fn saving_the_same_bytes_again_is_not_a_reload() {
        let (_dir, rules, templates) = setup();
        let (config, _watcher) = HotConfig::start(rules.clone(), templates);

        std::fs::write(&rules, RULES).expect("rewrite rules");
        settle(&config, 0);

        assert_eq!(config.reloads(), 0);
        assert!(!config.reload_if_changed());
    }

    #[test]
    fn a_removed_file_falls_back_to_no_rules_once() {
        let (_dir, rules, templates) = setup();
        let (config, _watcher) = HotConfig::start(rules.clone(), templates);

        std::fs::remove_file(&rules).expect("remove rules");
        settle(&config, 1);

        assert_eq!(config.reloads(), 1);
        assert!(!config.reload_if_changed());
    }
}
