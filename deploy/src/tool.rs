//! What the command-line tools' `main`s share (`deploy`, the demo, the wallet `lrt` and its
//! example): a single-threaded runtime, the error as one line on stderr, the exit code.

use std::{fmt::Display, future::Future, process::ExitCode};

/// Runs `future` to completion; on success hands its value to `done` and exits 0, on failure
/// prints `error: …` on stderr and exits 1 (also when the runtime cannot start).
pub fn run<T, E: Display>(
    future: impl Future<Output = Result<T, E>>,
    done: impl FnOnce(T),
) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(future) {
        Ok(value) => {
            done(value);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
