//! Config files that reload while the server runs: business rules and explanation templates.
//!
//! Each file is read once at start and again whenever `notify` reports a change in its
//! directory (create, write, rename, delete). A missing file means "no rules" / default
//! templates; an invalid file logs a warning and falls back the same way, as the original.

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};
use parking_lot::RwLock;
use seen_core::explain::Templates;
use seen_core::rules::BusinessRules;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The current rules and templates, swapped atomically on change.
pub struct HotConfig {
    rules_path: PathBuf,
    templates_path: PathBuf,
    rules: RwLock<Arc<BusinessRules>>,
    templates: RwLock<Arc<Templates>>,
}

/// Keeps the file watcher alive; dropping it stops reloading.
pub struct ConfigWatcher {
    _watcher: Option<RecommendedWatcher>,
}

impl HotConfig {
    /// Loads both files and starts watching their directories.
    pub fn start(rules_path: PathBuf, templates_path: PathBuf) -> (Arc<Self>, ConfigWatcher) {
        let config = Arc::new(HotConfig {
            rules: RwLock::new(Arc::new(load_rules(&rules_path))),
            templates: RwLock::new(Arc::new(load_templates(&templates_path))),
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

    /// Re-reads both files now.
    pub fn reload(&self) {
        *self.rules.write() = Arc::new(load_rules(&self.rules_path));
        *self.templates.write() = Arc::new(load_templates(&self.templates_path));
    }

    fn watch(self: &Arc<Self>) -> Option<RecommendedWatcher> {
        let weak = Arc::downgrade(self);
        let names: Vec<PathBuf> = [&self.rules_path, &self.templates_path]
            .iter()
            .filter_map(|p| p.file_name().map(PathBuf::from))
            .collect();
        let handler = move |event: notify::Result<Event>| {
            let Ok(event) = event else { return };
            let touches_ours = event.paths.iter().any(|p| {
                p.file_name()
                    .is_some_and(|n| names.iter().any(|ours| ours == n))
            });
            if let (true, Some(config)) = (touches_ours, weak.upgrade()) {
                config.reload();
                tracing::info!("config files reloaded");
            }
        };
        let mut watcher = match notify::recommended_watcher(handler) {
            Ok(w) => w,
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
            if let Err(e) = watcher.watch(&dir, RecursiveMode::NonRecursive) {
                tracing::warn!(dir = %dir.display(), error = %e, "cannot watch config directory");
            }
        }
        Some(watcher)
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn load_rules(path: &Path) -> BusinessRules {
    match std::fs::read_to_string(path) {
        Err(_) => BusinessRules::default(),
        Ok(text) => match serde_json::from_str(&text) {
            Ok(value) => BusinessRules::from_json(&value),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "invalid business rules JSON; using no rules");
                BusinessRules::default()
            }
        },
    }
}

fn load_templates(path: &Path) -> Templates {
    match std::fs::read_to_string(path) {
        Err(_) => Templates::default(),
        Ok(text) => Templates::try_from_json(&text).unwrap_or_else(|e| {
            tracing::warn!(path = %path.display(), error = %e, "invalid explanation templates; using defaults");
            Templates::default()
        }),
    }
}
