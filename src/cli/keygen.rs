//! `exhibit keygen` and `exhibit key id` (being built).
use super::{Context, KeyIdArgs, KeygenArgs, Status};

pub fn run_keygen(_ctx: &Context, _args: &KeygenArgs) -> anyhow::Result<Status> {
    anyhow::bail!("keygen is not built yet")
}

pub fn run_key_id(_ctx: &Context, _args: &KeyIdArgs) -> anyhow::Result<Status> {
    anyhow::bail!("key id is not built yet")
}
