use std::process::ExitCode;

// The replay server allocates per request; mimalloc keeps that cheap (see `docpact::alloc`).
#[global_allocator]
static GLOBAL: docpact::alloc::Allocator = docpact::alloc::Allocator;

fn main() -> ExitCode {
    docpact::cli::main()
}
