//! Seen'emAll's HTTP API: the router, handlers, shared state and the server loop.
//!
//! `app(state)` builds the router (tests drive it directly); `serve(settings)` wires real
//! components from settings and runs it with graceful shutdown.

mod auth;
mod auto_train;
pub mod catalog_copy;
mod error;
mod extract;
pub mod history_import;
pub mod hot_config;
pub mod language;
pub mod recommend;
mod reload_gate;
pub mod routes;
pub mod settings;
mod startup;
pub mod state;
pub mod taste_model;

pub use error::{ApiError, ErrorDetail};
pub use routes::app;
pub use settings::ServeArgs;
pub use startup::{HISTORY_CHANNEL, Server, build_state, serve};
pub use state::AppState;
