use std::process::ExitCode;

// The replay server allocates per request; mimalloc keeps that cheap (about 10% here).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    docpact::cli::main()
}
