//! Conditional statements into rules, notes and findings; error codes for constraints.

use super::*;

pub(super) fn unenforceable(name: &str, sentence: &str, origin: Origin) -> Note {
    Note {
        text: format!("{name}: {sentence} (a condition docpact cannot check)"),
        origin,
    }
}

pub(super) fn undocumented(name: &str, target: &str, origin: &Origin) -> crate::contract::Finding {
    crate::contract::Finding {
        id: format!("undocumented-parameter:{target}"),
        kind: crate::contract::FindingKind::UndocumentedParameter,
        subjects: vec![target.to_string()],
        message: format!(
            "{name}'s description requires {target}, which the parameter table does not document"
        ),
        resolution: format!("No rule is enforced for {target}."),
        origin: origin.clone(),
    }
}

/// Error codes whose message names a parameter answer breaches of its constraints.
pub(super) fn assign_constraint_errors(params: &mut [Parameter], errors: &[ErrorEntry]) {
    for e in errors {
        let Some(m) = &e.message else { continue };
        for c in PARAM_IN_MESSAGE.captures_iter(m) {
            let name = &c[1];
            if let Some(p) = params.iter_mut().find(|p| p.name == name) {
                for k in &mut p.constraints {
                    if k.error.is_none() {
                        k.error = Some(e.code.clone());
                    }
                }
            }
        }
    }
}

impl Cx<'_, '_> {
    /// Turns conditional statements into rules, notes and findings.
    pub(super) fn rules(
        &mut self,
        params: &mut [Parameter],
        prose_of: &[(String, Prose, Origin)],
        errors: &[ErrorEntry],
        rules: &mut Vec<Rule>,
        notes: &mut Vec<Note>,
        findings: &mut Vec<crate::contract::Finding>,
    ) {
        let mut names: Vec<(String, Vec<String>)> = Vec::new();
        crate::contract::walk(params, &mut |path, p, _| {
            let values = p
                .constraints
                .iter()
                .flat_map(|c| match &c.check {
                    crate::contract::Predicate::Enum { values } => {
                        values.iter().map(|v| v.value.clone()).collect()
                    }
                    crate::contract::Predicate::Const { value } => vec![value.clone()],
                    _ => Vec::new(),
                })
                .collect();
            names.push((path.to_string(), values));
        });
        let consts: Vec<(String, String)> = {
            let mut v = Vec::new();
            crate::contract::walk(params, &mut |path, p, _| {
                for c in &p.constraints {
                    if let crate::contract::Predicate::Const { value } = &c.check {
                        v.push((path.to_string(), value.clone()));
                    }
                }
            });
            v
        };
        let resolve = |phrase: &str| -> Option<String> {
            let key: String = phrase
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .flat_map(|c| c.to_lowercase())
                .collect();
            if let Some(c) = ORDINAL.captures(phrase) {
                let n = match c[1].to_ascii_lowercase().as_str() {
                    "first" => 1,
                    "second" => 2,
                    "third" => 3,
                    "fourth" => 4,
                    "fifth" => 5,
                    "sixth" => 6,
                    "seventh" => 7,
                    "eighth" => 8,
                    "ninth" => 9,
                    _ => 10,
                };
                let suffix = format!(".{n}.Value");
                return names
                    .iter()
                    .find(|(p, _)| p.ends_with(&suffix))
                    .map(|(p, _)| p.clone());
            }
            names
                .iter()
                .find(|(p, _)| {
                    let pk: String = p
                        .rsplit('.')
                        .next()
                        .unwrap_or(p)
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .flat_map(|c| c.to_lowercase())
                        .collect();
                    pk == key
                })
                .map(|(p, _)| p.clone())
        };
        let error_for = |a: &str, b: &str| -> Option<String> {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            errors
                .iter()
                .find(|e| {
                    e.message.as_deref().is_some_and(|m| {
                        let m = m.to_ascii_lowercase();
                        m.contains(&a) && m.contains(&b)
                    })
                })
                .map(|e| e.code.clone())
        };
        for (name, prose, origin) in prose_of {
            for (text, line) in &prose.rules {
                let at = Origin::Page([*line, *line]);
                let rule = |kind, param: &str, when| Rule {
                    kind,
                    param: param.to_string(),
                    when,
                    error: None,
                    origin: at.clone(),
                };
                match text {
                    RuleText::RequiredWhenValue { subject, value } => match resolve(subject) {
                        Some(other) => {
                            rules.push(rule(
                                RuleKind::RequiredIf,
                                name,
                                Condition::Equals {
                                    param: other,
                                    value: value.clone(),
                                },
                            ));
                        }
                        None => notes.push(unenforceable(
                            name,
                            &format!("required when {subject} is {value}"),
                            at,
                        )),
                    },
                    RuleText::RequiredForKind { word } => {
                        let found = names.iter().find_map(|(p, values)| {
                            (p != name)
                                .then(|| values.iter().find(|v| v.eq_ignore_ascii_case(word)))
                                .flatten()
                                .map(|v| (p.clone(), v.clone()))
                        });
                        match found {
                            Some((other, value)) => rules.push(rule(
                                RuleKind::RequiredIf,
                                name,
                                Condition::Equals {
                                    param: other,
                                    value,
                                },
                            )),
                            None => notes.push(unenforceable(
                                name,
                                &format!("required for {word} instances"),
                                at,
                            )),
                        }
                    }
                    RuleText::TargetRequiredIfPresent { target } => match resolve(target) {
                        Some(t) => rules.push(rule(
                            RuleKind::RequiredIf,
                            &t,
                            Condition::Present {
                                param: name.clone(),
                            },
                        )),
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::TargetRequiredIfValue { target, value } => match resolve(target) {
                        Some(t) => rules.push(rule(
                            RuleKind::RequiredIf,
                            &t,
                            Condition::Equals {
                                param: name.clone(),
                                value: value.clone(),
                            },
                        )),
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::TargetAbsentIfValue { target, value } => match resolve(target) {
                        Some(t) => {
                            let mut r = rule(
                                RuleKind::AbsentIf,
                                &t,
                                Condition::Equals {
                                    param: name.clone(),
                                    value: value.clone(),
                                },
                            );
                            r.error = error_for(&t, name);
                            rules.push(r);
                        }
                        None => findings.push(undocumented(name, target, origin)),
                    },
                    RuleText::Unenforceable { sentence } => {
                        notes.push(unenforceable(name, sentence, at));
                    }
                }
            }
        }
        // A rule whose condition always holds (the other parameter is a constant) adds
        // nothing; a required parameter with a real condition is not required.
        rules.retain(|r| match &r.when {
            Condition::Equals { param, value } => {
                !consts
                    .iter()
                    .any(|(p, v)| p == param && v.eq_ignore_ascii_case(value))
                    || r.kind != RuleKind::RequiredIf
            }
            Condition::Present { .. } => true,
        });
        for r in rules.iter() {
            if r.kind != RuleKind::RequiredIf {
                continue;
            }
            if let Some(p) = params.iter_mut().find(|p| p.name == r.param) {
                if p.required {
                    p.required = false;
                    findings.push(crate::contract::Finding {
                        id: format!("required-mismatch:{}", p.name),
                        kind: crate::contract::FindingKind::RequiredMismatch,
                        subjects: vec![p.name.clone()],
                        message: format!(
                            "{} is marked required, but its description makes it required only under a condition",
                            p.name
                        ),
                        resolution: "Required only when the condition holds, as the description says.".into(),
                        origin: r.origin.clone(),
                    });
                }
            }
        }
    }
}
