//! Contracts: the model of one documented operation, loading with file:line errors,
//! profiles, lint, and the JSON Schema for editors. Knows nothing about HTTP.

mod builtin;
mod lint;
mod load;
mod locate;
mod lookup;
mod model;
mod openapi;
mod predicate;
mod sample;
mod schema;

pub(crate) use lint::undocumented_keys;
pub use lint::{LintReport, Problem, common_error_codes, lint, value_fits};
pub use load::{ContractSet, LoadError, LoadedContract, expected_path, operation_id, parse};
pub use locate::Positions;
pub use lookup::{Resolved, resolve, walk};
pub use model::*;
pub use openapi::openapi;
pub use predicate::{parse_boolean, parse_integer};
pub use sample::parse_url_sample;
pub use schema::schema_json;
