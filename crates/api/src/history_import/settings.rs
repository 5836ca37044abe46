//! Limits of `POST /user/import` and the media-server webhooks' secret and user mapping.

use clap::Args;
use secrecy::{ExposeSecret, SecretString};
use seen_core::import::ImportLimits;
use seen_core::webhooks::users::{UserMap, UserMapError};

/// `serve` flags for history imports and webhooks.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Largest export file accepted by `POST /user/import`, in bytes.
    #[arg(long, env = "IMPORT_MAX_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub import_max_bytes: usize,
    /// Most bytes an export zip may unpack to (the zip-bomb guard).
    #[arg(long, env = "IMPORT_MAX_UNPACKED_BYTES", default_value_t = 100 * 1024 * 1024)]
    pub import_max_unpacked_bytes: u64,
    /// Most records (CSV lines, JSON entries) one import may hold.
    #[arg(long, env = "IMPORT_MAX_ROWS", default_value_t = 100_000)]
    pub import_max_rows: usize,
    /// Shared secret of `/webhooks/jellyfin` and `/webhooks/plex` (an `X-Webhook-Token` header
    /// or a `token` query parameter). Unset or blank: the webhook endpoints answer 404.
    #[arg(long, env = "WEBHOOK_TOKEN", hide_env_values = true,
          value_parser = crate::language::settings::parse_secret)]
    pub webhook_token: Option<SecretString>,
    /// Media-server users to profiles: `server user=user_id[::profile]`, comma-separated
    /// (e.g. `marie=home::marie,leo=home::kids`). A webhook URL's `user_id` wins over it.
    #[arg(long, env = "WEBHOOK_USERS", default_value = "")]
    pub webhook_users: String,
}

/// The typed form of [`ImportArgs`].
#[derive(Debug, Clone)]
pub struct ImportSettings {
    /// Size and row limits of one import.
    pub limits: ImportLimits,
    /// The webhooks' secret; `None` turns them off.
    pub webhook_token: Option<SecretString>,
    /// Media-server users to canonical user ids.
    pub webhook_users: UserMap,
}

impl ImportArgs {
    /// Checks and types the flags; a malformed `WEBHOOK_USERS` stops start-up.
    pub fn settings(&self) -> Result<ImportSettings, UserMapError> {
        Ok(ImportSettings {
            limits: ImportLimits {
                max_file_bytes: self.import_max_bytes,
                max_unpacked_bytes: self.import_max_unpacked_bytes,
                max_rows: self.import_max_rows,
            },
            webhook_token: self
                .webhook_token
                .clone()
                .filter(|t| !t.expose_secret().trim().is_empty()),
            webhook_users: UserMap::parse(&self.webhook_users)?,
        })
    }
}
