//! Derivation: a documentation page, as captured, into a contract.
//!
//! [`derive()`] reads a page (plain text, messy), recognises its layout family by what it
//! prints rather than by its file name, and assembles a [`Contract`]. Facts the page does
//! not print come from an [`Overlay`]; what is still missing, and every row or block that
//! could not be placed, is a [`Diagnostic`] with its line. Contradictions within the page
//! become the contract's findings, each with docpact's resolution.

/// A regex compiled once, on first use.
macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            #[allow(clippy::unwrap_used)]
            regex::Regex::new($pat).unwrap()
        });
    };
}

mod answers;
mod assemble;
mod contradictions;
pub mod grid;
pub mod input;
pub mod overlay;
pub mod page;
pub mod prose;
pub mod samples;
pub mod sdk;
pub mod table;

pub use assemble::derive;
pub use overlay::{Overlay, OverlayError};
pub use page::PageError;

use crate::contract::Contract;

/// What derive found out about one page.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The contract (a draft when facts are missing).
    pub contract: Contract,
    /// The layout family, in words (`alibaba rpc; request table: run-together cells`).
    pub family: String,
    /// Rows and blocks that could not be placed, and facts that are missing.
    pub diagnostics: Vec<Diagnostic>,
    /// The facts the overlay supplied, in words.
    pub from_overlay: Vec<String>,
}

impl Derived {
    /// True when nothing is missing and every row was placed (limitations of the page
    /// itself aside).
    pub fn is_clean(&self) -> bool {
        self.diagnostics
            .iter()
            .all(|d| d.kind == DiagnosticKind::Limitation)
    }
}

/// Something derive could not do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The line it is about (0 for the page as a whole).
    pub line: u32,
    /// What sort of problem.
    pub kind: DiagnosticKind,
    /// In words.
    pub message: String,
}

/// Sorts of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// A row or block that no part of the contract took.
    Unplaced,
    /// A fact the page does not print and no overlay supplied.
    MissingFact,
    /// A section or table the page announces but derive could not read.
    Unreadable,
    /// An overlay entry that names something the page does not have.
    OverlayMismatch,
    /// Something the page itself leaves out and no input can supply (error codes kept in
    /// an error centre): said, but the contract is complete without it.
    Limitation,
}

impl DiagnosticKind {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            DiagnosticKind::Unplaced => "unplaced",
            DiagnosticKind::MissingFact => "missing-fact",
            DiagnosticKind::Unreadable => "unreadable",
            DiagnosticKind::OverlayMismatch => "overlay-mismatch",
            DiagnosticKind::Limitation => "limitation",
        }
    }
}
