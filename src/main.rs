use std::process::ExitCode;

fn main() -> ExitCode {
    docpact::cli::main()
}
