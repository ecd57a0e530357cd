//! Evaluating constraint predicates and types against values as they arrive on the wire (text).

use super::model::{CharClass, Condition, EnumValue, ParamType, Predicate};

impl CharClass {
    fn contains(self, c: char) -> bool {
        match self {
            CharClass::Lower => c.is_ascii_lowercase(),
            CharClass::Upper => c.is_ascii_uppercase(),
            CharClass::Letter => c.is_ascii_alphabetic(),
            CharClass::Digit => c.is_ascii_digit(),
            CharClass::Ascii => c.is_ascii(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CharClass::Lower => "lowercase letters",
            CharClass::Upper => "uppercase letters",
            CharClass::Letter => "letters",
            CharClass::Digit => "digits",
            CharClass::Ascii => "ASCII characters",
        }
    }
}

/// Parses an integer as the SDKs send one: decimal, an optional sign, nothing around it (the
/// providers refuse `" 1"` and `"1 "`).
pub fn parse_integer(value: &str) -> Option<i64> {
    value.parse::<i64>().ok()
}

/// Parses a boolean in any spelling an official SDK sends (`true`, `True`, `TRUE`).
pub fn parse_boolean(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl ParamType {
    /// Whether a scalar value written as text fits the type; `None` when the type is not scalar.
    pub fn accepts_text(self, value: &str) -> Option<bool> {
        Some(match self {
            ParamType::String => true,
            ParamType::Integer => parse_integer(value).is_some_and(|n| i32::try_from(n).is_ok()),
            ParamType::Long => parse_integer(value).is_some(),
            ParamType::Float => value.parse::<f64>().is_ok_and(f64::is_finite),
            ParamType::Boolean => parse_boolean(value).is_some(),
            ParamType::Object | ParamType::Array => return None,
        })
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Long => "long",
            ParamType::Float => "float",
            ParamType::Boolean => "boolean",
            ParamType::Object => "object",
            ParamType::Array => "array",
        }
    }
}

fn enum_accepts(values: &[EnumValue], value: &str) -> bool {
    values.iter().any(|v| v.supported && v.value == value)
}

impl Predicate {
    /// Its name in case IDs and reports (`enum`, `range`, `max_items`), as in contracts.
    pub fn name(&self) -> &'static str {
        match self {
            Predicate::Enum { .. } => "enum",
            Predicate::Const { .. } => "const",
            Predicate::Length { .. } => "length",
            Predicate::Bytes { .. } => "bytes",
            Predicate::Range { .. } => "range",
            Predicate::MultipleOf { .. } => "multiple_of",
            Predicate::Digits { .. } => "digits",
            Predicate::Charset { .. } => "charset",
            Predicate::StartsWithClass { .. } => "starts_with_class",
            Predicate::StartsWith { .. } => "starts_with",
            Predicate::NotStartsWith { .. } => "not_starts_with",
            Predicate::NotAtEdges { .. } => "not_at_edges",
            Predicate::NoRepeated { .. } => "no_repeated",
            Predicate::Password { .. } => "password",
            Predicate::MaxItems { .. } => "max_items",
        }
    }

    /// Checks a scalar value given as text; the error says what was expected.
    pub fn evaluate(&self, value: &str) -> Result<(), String> {
        match self {
            Predicate::Enum { values } => {
                if enum_accepts(values, value) {
                    Ok(())
                } else {
                    let listed: Vec<&str> = values
                        .iter()
                        .filter(|v| v.supported)
                        .map(|v| v.value.as_str())
                        .collect();
                    Err(format!("must be one of {}", listed.join(", ")))
                }
            }
            Predicate::Const { value: want } => {
                if value == want {
                    Ok(())
                } else {
                    Err(format!("must be {want}"))
                }
            }
            Predicate::Length { min, max } => {
                let n = value.chars().count() as u64;
                match (min, max) {
                    (Some(lo), _) if n < *lo => Err(length_message(*min, *max)),
                    (_, Some(hi)) if n > *hi => Err(length_message(*min, *max)),
                    _ => Ok(()),
                }
            }
            Predicate::Bytes { max } => {
                if value.len() as u64 <= *max {
                    Ok(())
                } else {
                    Err(format!("must be at most {max} bytes"))
                }
            }
            Predicate::Range { ranges } => {
                let Some(n) = parse_integer(value) else {
                    return Err("must be an integer".into());
                };
                let inside = ranges
                    .iter()
                    .any(|[lo, hi]| lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi));
                if inside {
                    Ok(())
                } else {
                    Err(format!("must be in {}", describe_ranges(ranges)))
                }
            }
            Predicate::MultipleOf { factor } => match parse_integer(value) {
                Some(n) if *factor != 0 && n % factor == 0 => Ok(()),
                Some(_) => Err(format!("must be a multiple of {factor}")),
                None => Err("must be an integer".into()),
            },
            Predicate::Digits { count } => {
                if value.len() == *count as usize && value.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(())
                } else {
                    Err(format!("must be a {count}-digit number"))
                }
            }
            Predicate::Charset { classes, extra } => {
                let ok = value
                    .chars()
                    .all(|c| classes.iter().any(|k| k.contains(c)) || extra.contains(c));
                if ok {
                    Ok(())
                } else {
                    Err(format!(
                        "may contain only {}",
                        describe_classes(classes, extra)
                    ))
                }
            }
            Predicate::StartsWithClass { classes } => match value.chars().next() {
                Some(c) if classes.iter().any(|k| k.contains(c)) => Ok(()),
                _ => Err(format!("must start with {}", describe_classes(classes, ""))),
            },
            Predicate::StartsWith { prefix } => {
                if value.starts_with(prefix.as_str()) {
                    Ok(())
                } else {
                    Err(format!("must start with {prefix}"))
                }
            }
            Predicate::NotStartsWith { prefixes } => {
                match prefixes.iter().find(|p| value.starts_with(p.as_str())) {
                    Some(p) => Err(format!("must not start with {p}")),
                    None => Ok(()),
                }
            }
            Predicate::NotAtEdges { chars } => {
                let first = value.chars().next();
                let last = value.chars().last();
                if first.is_some_and(|c| chars.contains(c))
                    || last.is_some_and(|c| chars.contains(c))
                {
                    Err(format!("must not start or end with any of {chars}"))
                } else {
                    Ok(())
                }
            }
            Predicate::NoRepeated { chars } => {
                let mut prev: Option<char> = None;
                for c in value.chars() {
                    if prev == Some(c) && chars.contains(c) {
                        return Err(format!("must not repeat any of {chars} consecutively"));
                    }
                    prev = Some(c);
                }
                Ok(())
            }
            Predicate::Password {
                min_length,
                max_length,
                min_classes,
                specials,
            } => {
                let n = value.chars().count() as u64;
                let (mut upper, mut lower, mut digit, mut special) = (false, false, false, false);
                for c in value.chars() {
                    if c.is_ascii_uppercase() {
                        upper = true;
                    } else if c.is_ascii_lowercase() {
                        lower = true;
                    } else if c.is_ascii_digit() {
                        digit = true;
                    } else if specials.contains(c) {
                        special = true;
                    } else {
                        return Err(format!("may contain only letters, digits and {specials}"));
                    }
                }
                let classes = [upper, lower, digit, special]
                    .iter()
                    .filter(|b| **b)
                    .count();
                if n < *min_length || n > *max_length {
                    Err(format!(
                        "must be {min_length} to {max_length} characters long"
                    ))
                } else if classes < usize::from(*min_classes) {
                    Err(format!(
                        "must contain at least {min_classes} of uppercase letters, lowercase letters, digits and special characters"
                    ))
                } else {
                    Ok(())
                }
            }
            Predicate::MaxItems { .. } => Ok(()),
        }
    }

    /// Checks the number of items of a list value.
    pub fn evaluate_count(&self, count: usize) -> Result<(), String> {
        match self {
            Predicate::MaxItems { max } if count as u64 > *max => {
                Err(format!("must have at most {max} items"))
            }
            _ => Ok(()),
        }
    }

    /// Whether the check applies to list sizes rather than scalar values.
    pub fn is_count_check(&self) -> bool {
        matches!(self, Predicate::MaxItems { .. })
    }
}

fn length_message(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("must be {lo} to {hi} characters long"),
        (Some(lo), None) => format!("must be at least {lo} characters long"),
        (None, Some(hi)) => format!("must be at most {hi} characters long"),
        (None, None) => "has no length bounds".into(),
    }
}

fn describe_ranges(ranges: &[[Option<i64>; 2]]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|[lo, hi]| match (lo, hi) {
            (Some(lo), Some(hi)) if lo == hi => lo.to_string(),
            (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => "any integer".into(),
        })
        .collect();
    parts.join(" or ")
}

fn describe_classes(classes: &[CharClass], extra: &str) -> String {
    let mut parts: Vec<String> = classes.iter().map(|c| c.describe().to_string()).collect();
    if !extra.is_empty() {
        parts.push(format!("the characters {extra}"));
    }
    parts.join(", ")
}

impl Condition {
    /// The parameter the condition looks at.
    pub fn param(&self) -> &str {
        match self {
            Condition::Equals { param, .. } | Condition::Present { param } => param,
        }
    }

    /// Evaluates the condition given a lookup of present parameter values.
    pub fn holds<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> bool {
        match self {
            Condition::Present { param } => lookup(param).is_some_and(|v| !v.is_empty()),
            Condition::Equals { param, value } => {
                lookup(param).is_some_and(|got| match (parse_boolean(got), parse_boolean(value)) {
                    (Some(a), Some(b)) => a == b,
                    _ => got == value,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(r: &[(Option<i64>, Option<i64>)]) -> Predicate {
        Predicate::Range {
            ranges: r.iter().map(|(a, b)| [*a, *b]).collect(),
        }
    }

    #[test]
    fn range_set_accepts_one_to_nine_and_twelve() {
        let check = ranges(&[(Some(1), Some(9)), (Some(12), Some(12))]);
        for ok in ["1", "5", "9", "12"] {
            assert_eq!(check.evaluate(ok), Ok(()), "{ok}");
        }
        for bad in ["0", "10", "11", "13", "x", ""] {
            assert!(check.evaluate(bad).is_err(), "{bad}");
        }
        assert_eq!(check.evaluate("10").unwrap_err(), "must be in 1 to 9 or 12");
    }

    #[test]
    fn password_needs_three_classes_and_known_specials() {
        let check = Predicate::Password {
            min_length: 8,
            max_length: 30,
            min_classes: 3,
            specials: "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/".into(),
        };
        assert_eq!(check.evaluate("yourPassword:1"), Ok(()));
        assert!(check.evaluate("password").is_err());
        assert!(check.evaluate("Pass1").is_err());
        assert!(
            check.evaluate("Password1 ").is_err(),
            "space is not a listed special"
        );
        assert_eq!(check.evaluate("Password1"), Ok(()));
    }

    #[test]
    fn name_rules_compose() {
        let charset = Predicate::Charset {
            classes: vec![CharClass::Lower, CharClass::Digit],
            extra: "-".into(),
        };
        let edges = Predicate::NotAtEdges { chars: "-".into() };
        assert_eq!(charset.evaluate("auto-create-instance"), Ok(()));
        assert!(charset.evaluate("Auto").is_err());
        assert!(edges.evaluate("-abc").is_err());
        assert!(edges.evaluate("abc-").is_err());
        assert_eq!(edges.evaluate("a-b"), Ok(()));
    }

    #[test]
    fn booleans_accept_python_spelling() {
        assert_eq!(ParamType::Boolean.accepts_text("True"), Some(true));
        assert_eq!(ParamType::Boolean.accepts_text("false"), Some(true));
        assert_eq!(ParamType::Boolean.accepts_text("yes"), Some(false));
        let cond = Condition::Equals {
            param: "AutoRenew".into(),
            value: "True".into(),
        };
        assert!(cond.holds(|_| Some("true")));
        assert!(!cond.holds(|_| Some("False")));
    }

    #[test]
    fn integer_bounds_follow_the_type() {
        assert_eq!(ParamType::Integer.accepts_text("2147483648"), Some(false));
        assert_eq!(ParamType::Long.accepts_text("2147483648"), Some(true));
        assert_eq!(ParamType::Integer.accepts_text("12"), Some(true));
        assert_eq!(ParamType::Integer.accepts_text("1.5"), Some(false));
    }
}
