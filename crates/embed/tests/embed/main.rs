//! One integration-test binary for seen-embed (one link step instead of one per file).

mod helpers;
mod model;
mod service;
