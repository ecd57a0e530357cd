//! The JSON Schema of the contract format, for editors (`contracts/schema.json`).

use super::model::Contract;

/// The schema, pretty-printed with a trailing newline, exactly as committed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Contract);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
