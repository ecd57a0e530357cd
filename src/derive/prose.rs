//! What descriptions say in prose: valid values, ranges, lengths, character rules, defaults
//! and conditional requirements.

use crate::contract::{CharClass, EnumValue, ParamType, Predicate};

/// A description line: its number and text.
pub type DescLine = (u32, String);

/// A constraint read from prose, with the lines it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The check.
    pub check: Predicate,
    /// First and last line.
    pub lines: (u32, u32),
}

/// A conditional statement, before its parameter names are resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleText {
    /// This parameter is required when `subject` (a phrase) has `value`.
    RequiredWhenValue {
        /// The phrase naming the other parameter.
        subject: String,
        /// The value.
        value: String,
    },
    /// This parameter is required for "a `word` instance": some parameter's valid value.
    RequiredForKind {
        /// The word (`subscription`).
        word: String,
    },
    /// When this parameter is present, `target` is required.
    TargetRequiredIfPresent {
        /// The phrase naming the target.
        target: String,
    },
    /// When this parameter has `value`, `target` is required.
    TargetRequiredIfValue {
        /// The phrase naming the target.
        target: String,
        /// The value.
        value: String,
    },
    /// When this parameter has `value`, `target` must be absent.
    TargetAbsentIfValue {
        /// The phrase naming the target.
        target: String,
        /// The value.
        value: String,
    },
    /// A requirement docpact cannot turn into a rule.
    Unenforceable {
        /// The sentence.
        sentence: String,
    },
}

/// Everything read from one description.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    /// Constraints.
    pub constraints: Vec<Found>,
    /// The stated default.
    pub default: Option<String>,
    /// The repeat range of `n` (`Valid values of n: [1,100]`).
    pub repeat: Option<(u32, u32, u32)>,
    /// Conditional statements and the line each is on.
    pub rules: Vec<(RuleText, u32)>,
    /// The line that says the parameter makes retries idempotent.
    pub idempotent: Option<u32>,
    /// "Common Params."
    pub common: bool,
}

re!(VALID, r"(?i)valid values?\s*(?:include)?\s*:\s*");
re!(
    VALID_N,
    r"(?i)valid values of n\s*:\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]"
);
re!(
    SET_TO,
    r"^(?:Set the value to|Set this parameter to|(?:The )?[Vv]alue\s*used (?:for|in) this API:)\s+([A-Za-z0-9_.\-]+)(?:\.|\s+for\s|$)"
);
re!(
    DEFAULT,
    r"(?i)\bdefault(?: value)?\s*:\s*([A-Za-z0-9_.\-]+)"
);
re!(LENGTH_RANGE, r"(?i)(\d+) to (\d+) characters");
re!(
    LENGTH_MAX,
    r"(?i)(?:at most|a maximum of|up to|no more than|cannot exceed|not exceed) (\d+) (?:ascii )?characters"
);
re!(LENGTH_MIN, r"(?i)at least (\d+) characters");
re!(BYTES_MAX, r"(?i)(\d+) (KB|MB|bytes) in size");
re!(
    MULTIPLE,
    r"(?i)(?:an integral |a |an integer )?multiple of (\d+)"
);
re!(
    AT_LEAST,
    r"(?i)\b(?:is|be) at least (\d+)\b(?: (?:GiB|GB|MB|TB|seconds|minutes|hours|days))?"
);
re!(DIGITS, r"(?i)\b(\d+)-digit number");
re!(
    CAN_CONTAIN,
    r"(?i)can contain ((?:[^.(]|\([^)]*\))+?)(?:\.\s|\.$|$)"
);
re!(
    ONLY_ASCII,
    r"(?i)only ascii characters are allowed|can contain only ascii characters|must contain only ascii characters"
);
re!(PARENS, r"\(([^\s()])\)");
re!(
    STARTS_WITH_CLASS,
    r"(?i)must start with (?:a |an )?(letter|lowercase letter|uppercase letter|digit)"
);
re!(
    NOT_STARTS,
    r"(?i)cannot start with ((?:[a-z]+://)(?:\s+or\s+[a-z]+://)*)"
);
re!(
    NOT_EDGES,
    r"(?i)cannot start or end with (?:a |an )?(.+?)(?:\.\s|\.$|$)"
);
re!(
    CONSECUTIVE,
    r"(?i)cannot contain consecutive (.+?)(?:\.\s|\.$|$)"
);
re!(SEPARATE, r"(?i)use [a-z]+ \((.)\) to separate");
re!(
    PASSWORD,
    r"(?i)(\d+) to (\d+) characters in length and (?:must )?contain at least (one|two|three|four|\d) of the following"
);
re!(SPECIALS, r"(?i)special characters include\s*:\s*(\S+)");
re!(
    REQ_WHEN_SET,
    r"(?i)(?:this|the) parameter is required (?:if|when) (?:the )?(\w+)(?: parameter)? is set to (\w+)"
);
re!(
    REQ_FOR_KIND,
    r"(?i)(?:this parameter is required if you create|you must specify this parameter when creating) an? (\w+) instance"
);
re!(
    REQ_IF_VALUE_OF,
    r"(?i)if the value of (?:the )?(.+?) is (\w+),.*this parameter is required"
);
re!(
    IF_SPECIFIED,
    r"(?i)if this parameter is specified, you must (?:also )?specify (?:the )?([\w ]+?)(?:\.|,|$)"
);
re!(
    IF_SET_SPECIFY,
    r"(?i)if you set this parameter to (\w+), you must (?:also )?specify (?:the )?([\w]+)"
);
re!(
    MUST_BE_NULL,
    r"(?i)the (\w+) parameter must be (?:null|empty|left empty)"
);
re!(
    REQUIRED_IF_OTHER,
    r"(?i)(?:this|the) parameter is required (?:if|when) "
);

fn number_word(w: &str) -> Option<u8> {
    Some(match w.to_ascii_lowercase().as_str() {
        "one" | "1" => 1,
        "two" | "2" => 2,
        "three" | "3" => 3,
        "four" | "4" => 4,
        _ => return None,
    })
}

/// True for a value as printed in lists (`PayAsYouGo`, `95BandwidthByMonth`, `ipv4`, `0`).
pub fn is_value(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'))
}

fn bullet(text: &str) -> Option<&str> {
    let t = text.trim_start();
    t.strip_prefix('•')
        .or_else(|| t.strip_prefix("- "))
        .map(str::trim)
}

const PROSE_KEYS: &[&str] = &[
    "unit",
    "note",
    "default value",
    "default",
    "example",
    "examples",
];

/// Reads a description.
pub fn read(desc: &[DescLine], ty: ParamType) -> Prose {
    let mut p = Prose::default();
    let lines: Vec<(u32, &str)> = desc.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let all: String = lines.iter().map(|l| l.1).collect::<Vec<_>>().join(" ");
    let head = all.trim_start().to_ascii_lowercase();
    p.common = head.starts_with("common params") || head.starts_with("common parameter");

    // Valid values.
    for (i, (no, text)) in lines.iter().enumerate() {
        if let Some(c) = VALID_N.captures(text) {
            if let (Ok(a), Ok(b)) = (c[1].parse(), c[2].parse()) {
                p.repeat = Some((a, b, *no));
            }
            continue;
        }
        let Some(m) = VALID.find(text) else { continue };
        let inline = text[m.end()..].trim();
        if inline.is_empty() {
            valid_values_below(&lines[i + 1..], *no, ty, &mut p);
        } else {
            if let Some(found) = inline_values(inline, ty, *no) {
                p.constraints.push(found);
            }
        }
    }
    // Defaults: "Default value: X", or a bullet marked "(default)".
    for (_, text) in &lines {
        if let Some(c) = DEFAULT.captures(text) {
            p.default = Some(c[1].trim_end_matches('.').to_string());
        }
        if let Some(b) = bullet(text) {
            if let Some(v) = b.strip_suffix("(default)") {
                p.default = Some(v.trim().to_string());
            }
        }
    }
    // Constants.
    if !p
        .constraints
        .iter()
        .any(|f| matches!(f.check, Predicate::Enum { .. }))
    {
        for (no, text) in &lines {
            for sentence in sentences(text) {
                let s = sentence
                    .trim_start_matches("Common Params. ")
                    .trim_start_matches("Common parameter. ")
                    .trim_start_matches("Common parameters. ");
                if let Some(c) = SET_TO.captures(s) {
                    let v = c[1].trim_end_matches('.').to_string();
                    p.constraints.push(Found {
                        check: Predicate::Const { value: v },
                        lines: (*no, *no),
                    });
                }
            }
        }
    }
    read_lengths_and_characters(&lines, ty, &mut p);
    read_rules(&lines, &mut p);
    for (no, text) in &lines {
        if text.to_ascii_lowercase().contains("idempoten") && p.idempotent.is_none() {
            p.idempotent = Some(*no);
        }
    }
    p
}

/// Splits text into sentences at ". " (keeping the text of each without the period).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'.' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            // Not a decimal or a domain: the next char after the space starts a sentence.
            out.push(text[start..i].trim());
            start = i + 1;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Values listed after a bare "Valid values:" line: bullets, or a "Set the value to" line.
fn valid_values_below(rest: &[(u32, &str)], at: u32, ty: ParamType, p: &mut Prose) {
    let mut values = Vec::new();
    let mut last = at;
    for (no, text) in rest {
        if text.trim().is_empty() {
            continue;
        }
        let Some(b) = bullet(text) else { break };
        let b = b.trim();
        let (value, label) = match b.split_once(": ") {
            Some((v, l)) if is_value(v.trim()) => (v.trim(), Some(l.trim())),
            _ => {
                let v = b.trim_end_matches("(default)").trim();
                if !is_value(v) {
                    break;
                }
                (v, None)
            }
        };
        values.push(EnumValue {
            value: value.to_string(),
            label: label.map(str::to_string),
            supported: true,
        });
        last = *no;
    }
    if !values.is_empty() {
        if ty == ParamType::Boolean && values.iter().all(|v| is_bool(&v.value)) {
            return;
        }
        p.constraints.push(Found {
            check: Predicate::Enum { values },
            lines: (at, last),
        });
    }
}

fn is_bool(v: &str) -> bool {
    v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")
}

/// Values on the same line: "X, Y and Z", "1 to 9 and 12", "A: label, B: label",
/// "a: A; b: B.", "PREPAY: subscription. … POSTPAY: pay-as-you-go. … not supported."
fn inline_values(text: &str, ty: ParamType, no: u32) -> Option<Found> {
    let sents = sentences(text);
    let first = *sents.first()?;
    let labelled = |s: &str| -> Vec<(String, String)> {
        s.split([';', ','])
            .filter_map(|item| {
                let (v, l) = item.trim().split_once(": ")?;
                let v = v.trim();
                (is_value(v) && !PROSE_KEYS.contains(&v.to_ascii_lowercase().as_str()))
                    .then(|| (v.to_string(), l.trim().to_string()))
            })
            .collect()
    };
    let items = labelled(first);
    if !items.is_empty() {
        let mut values: Vec<EnumValue> = Vec::new();
        for s in &sents {
            let here = labelled(s);
            if here.is_empty() {
                let lower = s.to_ascii_lowercase();
                if lower.contains("not supported") || lower.contains("unsupported") {
                    if let Some(last) = values.last_mut() {
                        last.supported = false;
                    }
                }
                continue;
            }
            for (v, l) in here {
                values.push(EnumValue {
                    value: v,
                    label: Some(l),
                    supported: true,
                });
            }
        }
        return Some(Found {
            check: Predicate::Enum { values },
            lines: (no, no),
        });
    }
    // A plain list.
    let mut ranges: Vec<[Option<i64>; 2]> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let normalized = first
        .replace(", and ", ", ")
        .replace(" and ", ", ")
        .replace(" or ", ", ");
    let mut saw_to = false;
    for item in normalized.split(',') {
        let item = item.trim();
        if item.is_empty() || item == "..." || item == "…" {
            continue;
        }
        if let Some((a, b)) = item.split_once(" to ") {
            let (a, b) = (a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?);
            ranges.push([Some(a), Some(b)]);
            saw_to = true;
        } else if is_value(item) {
            words.push(item.to_string());
        } else {
            return None;
        }
    }
    let numeric = words.iter().all(|w| w.parse::<i64>().is_ok());
    if saw_to
        || (numeric && matches!(ty, ParamType::Integer | ParamType::Long) && !words.is_empty())
    {
        if !numeric {
            return None;
        }
        for w in &words {
            let n: i64 = w.parse().ok()?;
            ranges.push([Some(n), Some(n)]);
        }
        return Some(Found {
            check: Predicate::Range {
                ranges: merge_ranges(ranges),
            },
            lines: (no, no),
        });
    }
    if words.is_empty() || (ty == ParamType::Boolean && words.iter().all(|w| is_bool(w))) {
        return None;
    }
    Some(Found {
        check: Predicate::Enum {
            values: words
                .into_iter()
                .map(|value| EnumValue {
                    value,
                    label: None,
                    supported: true,
                })
                .collect(),
        },
        lines: (no, no),
    })
}

/// Sorts ranges and joins neighbours: 1,2,…,10 becomes 1 to 10.
fn merge_ranges(mut r: Vec<[Option<i64>; 2]>) -> Vec<[Option<i64>; 2]> {
    r.sort_by_key(|x| x[0]);
    let mut out: Vec<[Option<i64>; 2]> = Vec::new();
    for x in r {
        if let Some(last) = out.last_mut() {
            if let (Some(hi), Some(lo)) = (last[1], x[0]) {
                if lo <= hi + 1 {
                    last[1] = Some(hi.max(x[1].unwrap_or(hi)));
                    continue;
                }
            }
        }
        out.push(x);
    }
    out
}

fn read_lengths_and_characters(lines: &[(u32, &str)], ty: ParamType, p: &mut Prose) {
    let mut lengths: Vec<(Option<u64>, Option<u64>, u32)> = Vec::new();
    let mut password = false;
    for (no, text) in lines {
        if let Some(c) = PASSWORD.captures(text) {
            let specials = SPECIALS
                .captures(text)
                .map(|s| s[1].to_string())
                .unwrap_or_default();
            if let (Ok(min), Ok(max), Some(k)) = (c[1].parse(), c[2].parse(), number_word(&c[3])) {
                p.constraints.push(Found {
                    check: Predicate::Password {
                        min_length: min,
                        max_length: max,
                        min_classes: k,
                        specials,
                    },
                    lines: (*no, *no),
                });
                password = true;
            }
        }
    }
    for (no, text) in lines {
        if !password {
            for c in LENGTH_RANGE.captures_iter(text) {
                lengths.push((c[1].parse().ok(), c[2].parse().ok(), *no));
            }
            for c in LENGTH_MAX.captures_iter(text) {
                lengths.push((None, c[1].parse().ok(), *no));
            }
            for c in LENGTH_MIN.captures_iter(text) {
                lengths.push((c[1].parse().ok(), None, *no));
            }
        }
        if let Some(c) = BYTES_MAX.captures(text) {
            let n: u64 = c[1].parse().unwrap_or(0);
            let unit = match c[2].to_ascii_uppercase().as_str() {
                "KB" => 1024,
                "MB" => 1024 * 1024,
                _ => 1,
            };
            p.constraints.push(Found {
                check: Predicate::Bytes { max: n * unit },
                lines: (*no, *no),
            });
        }
        let numeric = matches!(ty, ParamType::Integer | ParamType::Long | ParamType::String);
        if numeric {
            for c in MULTIPLE.captures_iter(text) {
                if let Ok(f) = c[1].parse() {
                    p.constraints.push(Found {
                        check: Predicate::MultipleOf { factor: f },
                        lines: (*no, *no),
                    });
                }
            }
            if let Some(c) = AT_LEAST.captures(text) {
                if !text[c.get(0).map_or(0, |m| m.end())..].starts_with(" characters") {
                    if let Ok(n) = c[1].parse() {
                        p.constraints.push(Found {
                            check: Predicate::Range {
                                ranges: vec![[Some(n), None]],
                            },
                            lines: (*no, *no),
                        });
                    }
                }
            }
        }
        if let Some(c) = DIGITS.captures(text) {
            if let Ok(n) = c[1].parse() {
                p.constraints.push(Found {
                    check: Predicate::Digits { count: n },
                    lines: (*no, *no),
                });
            }
        }
        if ONLY_ASCII.is_match(text) {
            p.constraints.push(Found {
                check: Predicate::Charset {
                    classes: vec![CharClass::Ascii],
                    extra: String::new(),
                },
                lines: (*no, *no),
            });
        }
        for sentence in sentences(text) {
            let conditional = sentence.starts_with("For ") && sentence.contains(" instances");
            if conditional {
                continue;
            }
            if let Some(c) = STARTS_WITH_CLASS.captures(sentence) {
                let class = match c[1].to_ascii_lowercase().as_str() {
                    "lowercase letter" => CharClass::Lower,
                    "uppercase letter" => CharClass::Upper,
                    "digit" => CharClass::Digit,
                    _ => CharClass::Letter,
                };
                p.constraints.push(Found {
                    check: Predicate::StartsWithClass {
                        classes: vec![class],
                    },
                    lines: (*no, *no),
                });
            }
            if let Some(c) = NOT_STARTS.captures(sentence) {
                let prefixes = c[1].split(" or ").map(|s| s.trim().to_string()).collect();
                p.constraints.push(Found {
                    check: Predicate::NotStartsWith { prefixes },
                    lines: (*no, *no),
                });
            }
            if let Some(c) = NOT_EDGES.captures(sentence) {
                let chars = paren_chars(&c[1]);
                if !chars.is_empty() {
                    p.constraints.push(Found {
                        check: Predicate::NotAtEdges { chars },
                        lines: (*no, *no),
                    });
                }
            }
            if let Some(c) = CONSECUTIVE.captures(sentence) {
                let chars = paren_chars(&c[1]);
                if !chars.is_empty() {
                    p.constraints.push(Found {
                        check: Predicate::NoRepeated { chars },
                        lines: (*no, *no),
                    });
                }
            }
        }
        if let Some(c) = CAN_CONTAIN.captures(text) {
            if let Some((classes, mut extra)) = char_classes(&c[1]) {
                for (_, t) in lines {
                    if let Some(s) = SEPARATE.captures(t) {
                        if !extra.contains(&s[1]) {
                            extra = format!("{}{}", &s[1], extra);
                        }
                    }
                }
                p.constraints.push(Found {
                    check: Predicate::Charset { classes, extra },
                    lines: (*no, *no),
                });
            }
        }
    }
    if !lengths.is_empty() {
        let min = lengths.iter().filter_map(|l| l.0).min();
        let max = if lengths
            .iter()
            .any(|l| l.1.is_none() && l.0.is_some() && lengths.len() == 1)
        {
            None
        } else {
            lengths.iter().filter_map(|l| l.1).max()
        };
        let first = lengths.iter().map(|l| l.2).min().unwrap_or(0);
        let last = lengths.iter().map(|l| l.2).max().unwrap_or(0);
        p.constraints.insert(
            0,
            Found {
                check: Predicate::Length { min, max },
                lines: (first, last),
            },
        );
    }
}

/// The characters named in parentheses: "a period (.) or hyphen (-)" is ".-".
fn paren_chars(s: &str) -> String {
    PARENS.captures_iter(s).map(|c| c[1].to_string()).collect()
}

/// "lowercase letters, digits, and hyphens (-)" as classes and extra characters.
fn char_classes(list: &str) -> Option<(Vec<CharClass>, String)> {
    let mut classes = Vec::new();
    let mut extra = String::new();
    let normalized = list.replace(", and ", ", ").replace(" and ", ", ");
    for item in normalized.split(',') {
        let item = item.trim().to_ascii_lowercase();
        if item.is_empty() {
            continue;
        }
        if let Some(c) = PARENS.captures(&item) {
            extra.push_str(&c[1]);
            continue;
        }
        let class = match item.as_str() {
            "lowercase letters" | "lowercase english letters" => CharClass::Lower,
            "uppercase letters" | "uppercase english letters" => CharClass::Upper,
            "letters" | "english letters" => CharClass::Letter,
            "digits" | "numbers" => CharClass::Digit,
            _ => return None,
        };
        classes.push(class);
    }
    (!classes.is_empty()).then_some((classes, extra))
}

fn read_rules(lines: &[(u32, &str)], p: &mut Prose) {
    for (no, text) in lines {
        let mut matched = false;
        if let Some(c) = REQ_WHEN_SET.captures(text) {
            p.rules.push((
                RuleText::RequiredWhenValue {
                    subject: c[1].to_string(),
                    value: c[2].to_string(),
                },
                *no,
            ));
            matched = true;
        } else if let Some(c) = REQ_FOR_KIND.captures(text) {
            p.rules.push((
                RuleText::RequiredForKind {
                    word: c[1].to_string(),
                },
                *no,
            ));
            matched = true;
        } else if let Some(c) = REQ_IF_VALUE_OF.captures(text) {
            p.rules.push((
                RuleText::RequiredWhenValue {
                    subject: c[1].to_string(),
                    value: c[2].to_string(),
                },
                *no,
            ));
            matched = true;
        }
        if let Some(c) = IF_SPECIFIED.captures(text) {
            p.rules.push((
                RuleText::TargetRequiredIfPresent {
                    target: c[1].trim().to_string(),
                },
                *no,
            ));
            matched = true;
        }
        if let Some(c) = IF_SET_SPECIFY.captures(text) {
            p.rules.push((
                RuleText::TargetRequiredIfValue {
                    value: c[1].to_string(),
                    target: c[2].to_string(),
                },
                *no,
            ));
            matched = true;
        }
        if let Some(c) = MUST_BE_NULL.captures(text) {
            if let Some(b) = bullet(text) {
                if let Some((v, _)) = b.split_once(": ") {
                    p.rules.push((
                        RuleText::TargetAbsentIfValue {
                            target: c[1].to_string(),
                            value: v.trim().to_string(),
                        },
                        *no,
                    ));
                    matched = true;
                }
            }
        }
        if !matched {
            for s in sentences(text) {
                if REQUIRED_IF_OTHER.is_match(s) {
                    p.rules.push((
                        RuleText::Unenforceable {
                            sentence: format!("{s}."),
                        },
                        *no,
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, ty: ParamType) -> Prose {
        read(&[(1, text.to_string())], ty)
    }

    fn checks(p: &Prose) -> Vec<Predicate> {
        p.constraints.iter().map(|f| f.check.clone()).collect()
    }

    #[test]
    fn ranges_and_sets_from_prose() {
        let p = one(
            "Valid values: 1 to 9 and 12. Unit: months.",
            ParamType::String,
        );
        assert_eq!(
            checks(&p),
            vec![Predicate::Range {
                ranges: vec![[Some(1), Some(9)], [Some(12), Some(12)]]
            }]
        );
        let p = one(
            "Valid values: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 12.",
            ParamType::Long,
        );
        assert_eq!(
            checks(&p),
            vec![Predicate::Range {
                ranges: vec![[Some(1), Some(10)], [Some(12), Some(12)]]
            }]
        );
        let p = one(
            "Unit: GiB. Valid values: 20 and 40. It must be a multiple of 10 GiB.",
            ParamType::String,
        );
        assert!(matches!(&checks(&p)[0], Predicate::Enum { values } if values.len() == 2));
        assert_eq!(checks(&p)[1], Predicate::MultipleOf { factor: 10 });
        let p = one(
            "Unit: month. The value must be an integral multiple of 12.",
            ParamType::Integer,
        );
        assert_eq!(checks(&p), vec![Predicate::MultipleOf { factor: 12 }]);
    }

    #[test]
    fn labelled_values_and_unsupported_ones() {
        let p = one(
            "Valid values: PREPAY: subscription. If you set this parameter to PREPAY, you must also specify paymentInfo. POSTPAY: pay-as-you-go. This billing method is not supported.",
            ParamType::String,
        );
        let Predicate::Enum { values } = &checks(&p)[0] else {
            panic!()
        };
        assert_eq!(values.len(), 2);
        assert!(values[0].supported && !values[1].supported);
        assert_eq!(values[1].label.as_deref(), Some("pay-as-you-go"));
        assert!(
            matches!(&p.rules[0].0, RuleText::TargetRequiredIfValue { target, value } if target == "paymentInfo" && value == "PREPAY")
        );
        let p = one(
            "Instance billing mode. Valid values: 0: Pay-as-you-go billing; 1: Prepaid. Default value: 0.",
            ParamType::Integer,
        );
        assert_eq!(p.default.as_deref(), Some("0"));
        let Predicate::Enum { values } = &checks(&p)[0] else {
            panic!()
        };
        assert_eq!(values[1].value, "1");
    }

    #[test]
    fn lengths_characters_and_passwords() {
        let p = one(
            "The name can be 3 to 30 characters in length and can contain lowercase letters, digits, and hyphens (-). The name cannot start or end with a hyphen (-).",
            ParamType::String,
        );
        assert_eq!(
            checks(&p),
            vec![
                Predicate::Length {
                    min: Some(3),
                    max: Some(30)
                },
                Predicate::NotAtEdges { chars: "-".into() },
                Predicate::Charset {
                    classes: vec![CharClass::Lower, CharClass::Digit],
                    extra: "-".into()
                },
            ]
        );
        let p = one(
            "The password must be 8 to 30 characters in length and contain at least three of the following character types: uppercase letters, lowercase letters, digits, and special characters. Special characters include: ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/",
            ParamType::String,
        );
        assert!(
            matches!(&checks(&p)[0], Predicate::Password { min_classes: 3, min_length: 8, max_length: 30, specials } if specials.ends_with("?/"))
        );
        let p = one(
            "The data can be at most 256 characters in length and 16 KB in size.",
            ParamType::String,
        );
        assert_eq!(
            checks(&p),
            vec![
                Predicate::Length {
                    min: None,
                    max: Some(256)
                },
                Predicate::Bytes { max: 16384 }
            ]
        );
    }

    #[test]
    fn conditional_requirements() {
        let p = one(
            "Note This parameter is required if the RenewalStatus parameter is set to AutoRenewal.",
            ParamType::Integer,
        );
        assert_eq!(
            p.rules[0].0,
            RuleText::RequiredWhenValue {
                subject: "RenewalStatus".into(),
                value: "AutoRenewal".into()
            }
        );
        let p = one(
            "The internal IP address. If this parameter is specified, you must specify the vSwitch ID. The vSwitch must be created first.",
            ParamType::String,
        );
        assert_eq!(
            p.rules[0].0,
            RuleText::TargetRequiredIfPresent {
                target: "vSwitch ID".into()
            }
        );
        let p = one(
            "This parameter is required if you create the instance for the first time.",
            ParamType::String,
        );
        assert!(matches!(p.rules[0].0, RuleText::Unenforceable { .. }));
    }
}
