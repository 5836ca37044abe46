//! `seenemall embed`.

/// Embedding job settings.
#[derive(Debug, clap::Args)]
pub struct EmbedArgs {}

pub async fn run(_args: EmbedArgs) -> anyhow::Result<()> {
    anyhow::bail!("embed is being built in this change")
}
