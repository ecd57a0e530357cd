//! One module per subcommand.

pub(crate) mod check;
pub(crate) mod contracts;
pub(crate) mod derive;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod serve;
