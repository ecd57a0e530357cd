//! An SVG badge with the pass rate, for READMEs: `docpact | 98.2% pass`.

use super::results::Results;

/// The badge of `results`: the share of judged items that do not fail (known failures and
/// refusals count as passing, warnings are left out).
pub fn badge(results: &Results) -> String {
    let judged: Vec<_> = results
        .items
        .iter()
        .filter(|i| i.status != super::Status::Warning)
        .collect();
    let passing = judged.iter().filter(|i| !i.status.fails()).count();
    let (value, color) = if judged.is_empty() {
        ("no cases".to_string(), "#9f9f9f")
    } else {
        let p = passing as f64 * 100.0 / judged.len() as f64;
        let color = if passing == judged.len() {
            "#2ea44f"
        } else if p >= 90.0 {
            "#dfb317"
        } else {
            "#cf222e"
        };
        // Never round a failing run up to 100%.
        let shown = if passing < judged.len() {
            p.min(99.9)
        } else {
            p
        };
        (format!("{shown:.1}% pass"), color)
    };
    let label = "docpact";
    // Widths from a fixed advance per character (11 px Verdana averages about 6.5 px).
    let lw = 10 + label.len() * 7;
    let vw = 10 + value.len() * 7;
    let w = lw + vw;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" role=\"img\" aria-label=\"{label}: {value}\">\
<title>{label}: {value}</title>\
<rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{color}\"/>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"{}\" y=\"14\">{label}</text><text x=\"{}\" y=\"14\">{value}</text></g></svg>\n",
        lw / 2,
        lw + vw / 2
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Item, Status};

    #[test]
    fn a_failing_run_is_never_shown_as_all_passing() {
        let mut r = Results::new("check");
        for i in 0..2000 {
            r.push(Item::new(i.to_string(), Status::Pass, "g", ""));
        }
        r.push(Item::new("x", Status::Fail, "g", ""));
        let svg = badge(&r);
        assert!(svg.contains("99.9% pass"), "{svg}");
        assert!(svg.contains("#dfb317"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }
}
