//! Results as JUnit XML (quick-junit): one test suite per group, one test case per item.
//! Failures carry the message and, as text, the notes and diff; known failures are
//! reported as skipped with their reason, so CI test views show them without failing.

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::results::{Item, Results, Status};

fn description(item: &Item) -> String {
    let mut text = String::new();
    for note in &item.notes {
        text.push_str(note);
        text.push('\n');
    }
    if let Some(diff) = &item.diff {
        text.push_str(diff);
        if !diff.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

fn status_of(item: &Item) -> TestCaseStatus {
    let failure = |kind: NonSuccessKind| {
        let mut status = TestCaseStatus::non_success(kind);
        status.set_message(item.message.as_str());
        status.set_type(item.status.name());
        let text = description(item);
        if !text.is_empty() {
            status.set_description(text);
        }
        status
    };
    match item.status {
        Status::Pass | Status::Noted | Status::Warning | Status::Refused => {
            TestCaseStatus::success()
        }
        Status::KnownFailure => {
            let mut status = TestCaseStatus::skipped();
            status.set_type("known_failure");
            status.set_message(format!(
                "known failure: {}",
                item.reason.as_deref().unwrap_or(&item.message)
            ));
            status.set_description(format!("{}\n{}", item.message, description(item)));
            status
        }
        Status::Error => failure(NonSuccessKind::Error),
        Status::Fail
        | Status::UnexpectedPass
        | Status::Drift
        | Status::Finding
        | Status::Incomplete => failure(NonSuccessKind::Failure),
    }
}

/// Renders the results as JUnit XML.
pub fn junit(results: &Results) -> String {
    let mut report = Report::new(format!("docpact {}", results.command));
    report.set_time(Duration::from_millis(results.duration_ms));
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for item in &results.items {
        let suite = suites
            .entry(item.group.as_str())
            .or_insert_with(|| TestSuite::new(item.group.as_str()));
        let mut case = TestCase::new(item.id.as_str(), status_of(item));
        case.set_classname(item.group.as_str());
        if let Some(ms) = item.duration_ms {
            case.set_time(Duration::from_millis(ms));
        }
        if matches!(
            item.status,
            Status::Warning | Status::Noted | Status::Refused
        ) {
            case.set_system_out(format!("{}\n{}", item.message, description(item)));
        }
        suite.add_test_case(case);
    }
    report.add_test_suites(suites.into_values());
    // quick-junit only fails on I/O errors of the writer; a String cannot fail.
    report.to_string().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_become_suites_and_statuses_map_to_junit() {
        let mut r = Results::new("check");
        r.push(Item::new("op/a", Status::Pass, "op", "ok"));
        let mut fail = Item::new("op/b", Status::Fail, "op", "code <differs> & more");
        fail.diff = Some("-x\n+y".into());
        r.push(fail);
        let mut known = Item::new("other/c", Status::KnownFailure, "other", "a string");
        known.reason = Some("the SDK types it as str".into());
        r.push(known);
        let xml = junit(&r);
        assert!(
            xml.contains(r#"<testsuite name="op" tests="2" skipped="0" errors="0" failures="1">"#),
            "{xml}"
        );
        assert!(xml.contains("code &lt;differs&gt; &amp; more"), "{xml}");
        assert!(
            xml.contains("<skipped message=\"known failure: the SDK types it as str\""),
            "{xml}"
        );
    }
}
