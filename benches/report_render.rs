//! How long `docpact report` takes on a large run: 100,000 case results (13 drivers' worth of
//! cases, repeated), 2% failing with their wire and answers, read from JSON, merged, covered
//! against the built-in contracts and rendered as HTML, Markdown and JSON. Prints the median
//! of a few rounds and the HTML's size.

use std::time::Instant;

use docpact::contract::ContractSet;
use docpact::report::{
    CaseRecord, HtmlContext, Item, Results, Status, coverage, html, json, markdown, merge,
};
use serde_json::json;

const CASES: usize = 100_000;
const ROUNDS: usize = 5;

fn synthetic() -> Results {
    let ops = [
        "alibaba/bssopenapi/2017-12-14/CreateInstance",
        "alibaba/ens/2017-11-10/CreateInstance",
        "alibaba/searchengine/2021-10-25/CreateInstance",
        "tencent/tcr/2019-09-24/CreateInstance",
    ];
    let kinds = [
        "sample",
        "example",
        "missing:X",
        "invalid:X:enum",
        "error:InternalError",
        "fault:reset",
    ];
    let mut r = Results::new("check");
    for i in 0..CASES {
        let op = ops[i % ops.len()];
        let kind = kinds[(i / ops.len()) % kinds.len()];
        let driver = format!("driver-{}", i % 13);
        let failing = i % 50 == 0;
        let mut item = Item::new(
            format!("{op}/{kind}/{i}"),
            if failing { Status::Fail } else { Status::Pass },
            op,
            if failing {
                "the parsed result differs from what the server sent (1 difference)"
            } else {
                "success (1 request)"
            },
        );
        item.driver = Some(driver.clone());
        item.duration_ms = Some(3);
        if failing {
            item.diff = Some("RegistryId: served \"tcr-a\", parsed \"tcr-b\"".into());
        }
        item.case = Some(CaseRecord {
            operation: op.into(),
            kind: kind.split(':').next().unwrap_or(kind).into(),
            driver,
            sent: vec![json!({"RegistryName": "tcr-test", "RegistryType": "standard"})],
            answers: vec![json!({"ok": true, "parsed": {"RegistryId": "tcr-a", "RequestId": "r"}})],
            wire: vec![
                json!({"method": "POST", "path": "/", "body": {"RegistryName": "tcr-test"}}),
            ],
            requests: 1,
            order: i,
        });
        r.push(item);
    }
    r.finish();
    r
}

fn main() {
    let text = json(&synthetic());
    let set = ContractSet::builtin().expect("the built-in contracts");
    let mut times = Vec::new();
    let mut size = 0;
    let mut phases = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let mut lap = Instant::now();
        let mut mark = |name: &'static str, phases: &mut Vec<(&'static str, f64)>| {
            phases.push((name, lap.elapsed().as_secs_f64()));
            lap = Instant::now();
        };
        let results = Results::parse("synthetic.json", &text).expect("parses");
        mark("read", &mut phases);
        let mut merged = merge(vec![("synthetic.json".into(), results)]).expect("merges");
        mark("merge", &mut phases);
        merged.coverage = Some(coverage(&merged, &set));
        mark("coverage", &mut phases);
        let page = html(&merged, &HtmlContext::default());
        mark("html", &mut phases);
        let md = markdown(&merged);
        mark("markdown", &mut phases);
        let js = json(&merged);
        mark("json", &mut phases);
        size = page.len();
        std::hint::black_box((md, js));
        times.push(start.elapsed().as_secs_f64());
    }
    let last: Vec<String> = phases
        .iter()
        .rev()
        .take(6)
        .rev()
        .map(|(n, t)| format!("{n} {:.2}", t))
        .collect();
    println!("last round by phase (s): {}", last.join(", "));
    times.sort_by(f64::total_cmp);
    println!(
        "{CASES} case results ({} MB of JSON): median {:.2} s (read, merge, coverage, HTML, Markdown, JSON; rounds {:?}); HTML {:.1} MB",
        text.len() / 1_000_000,
        times[ROUNDS / 2],
        times
            .iter()
            .map(|t| (t * 100.0).round() / 100.0)
            .collect::<Vec<_>>(),
        size as f64 / 1e6
    );
}
