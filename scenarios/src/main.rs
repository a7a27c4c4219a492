//! `ioa`: run, check and list the scenarios of the executable textbook.

use clap::Parser;
use scenarios::cli;
use std::process::ExitCode;

/// Reliable distributed algorithms as I/O automata: run scenarios in a deterministic
/// simulator, check them exhaustively, and watch weak models break strong promises.
///
/// With no command, `ioa` runs a short guided tour of the bundled scenarios.
#[derive(Parser, Debug)]
#[command(name = "ioa", version, after_help = cli::AFTER_HELP)]
struct Args {
    #[command(subcommand)]
    command: Option<cli::Command>,
}

fn main() -> ExitCode {
    // `IOA_LOG=debug ioa run ...` shows what the runners do (stateright's `log` output too).
    let filter = tracing_subscriber::EnvFilter::try_from_env("IOA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    cli::main(args.command)
}
