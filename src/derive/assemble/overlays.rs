//! Merging an overlay into the contract, each fact it supplies recorded.

use super::*;

pub(super) fn find_param<'a>(params: &'a mut [Parameter], name: &str) -> Option<&'a mut Parameter> {
    let (head, rest) = match name.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (name, None),
    };
    let direct = params
        .iter()
        .position(|p| p.name == name || p.printed_as.as_deref() == Some(name));
    if let Some(i) = direct {
        return params.get_mut(i);
    }
    let rest = rest?;
    let i = params.iter().position(|p| p.name == head)?;
    find_param(&mut params[i].members, rest)
}

pub(super) fn find_field<'a>(fields: &'a mut [Field], path: &str) -> Option<&'a mut Field> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let i = fields.iter().position(|f| f.name == head)?;
    match rest {
        None => fields.get_mut(i),
        Some(r) => find_field(&mut fields[i].members, r),
    }
}

impl Cx<'_, '_> {
    /// Merges the overlay, recording each fact it supplied.
    pub(super) fn apply(
        &mut self,
        o: &Overlay,
        c: &mut Contract,
        facts: &mut Vec<Fact>,
        findings: &mut Vec<crate::contract::Finding>,
    ) {
        if let Some(p) = &o.product {
            c.product = p.clone();
            self.from_overlay.push(format!("product {p}"));
        }
        if let Some(s) = &o.service {
            c.service = s.clone();
            self.from_overlay.push(format!("service {s}"));
        }
        if let Some(v) = &o.version {
            if !c.version.is_empty() && c.version != v.value {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!(
                        "the overlay's version {} differs from the page's {}",
                        v.value, c.version
                    ),
                );
            }
            if c.version.is_empty() {
                facts.push(Fact {
                    about: format!("version {} (not printed on the page)", v.value),
                    origin: v.origin.clone(),
                });
            }
            c.version = v.value.clone();
            self.from_overlay.push(format!("version {}", v.value));
        }
        if let Some(e) = &o.endpoint {
            let about = if c.endpoint.host.is_empty() || c.endpoint.host == e.host {
                format!("endpoint {}", e.host)
            } else {
                format!("endpoint {} (the page names {})", e.host, c.endpoint.host)
            };
            facts.push(Fact {
                about,
                origin: e.origin.clone(),
            });
            c.endpoint = e.clone();
            self.from_overlay.push(format!("endpoint {}", e.host));
        }
        if let Some(p) = &o.profile {
            c.profile = Some(p.clone());
            self.from_overlay
                .push(format!("profile {} of {}", p.name, p.base));
        }
        facts.extend(o.facts.iter().cloned());
        for (name, patch) in &o.parameters {
            let Some(p) = find_param(&mut c.parameters, name) else {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!(
                        "the overlay changes the parameter {name}, which the page does not document"
                    ),
                );
                continue;
            };
            let mut what = Vec::new();
            if let Some(new) = &patch.rename {
                if p.printed_as.is_none() {
                    p.printed_as = Some(p.name.clone());
                }
                p.name = new.clone();
                what.push(format!("named {new}"));
            }
            if let Some(r) = patch.required {
                p.required = r;
                what.push(format!("required {r}"));
            }
            if let Some(s) = patch.sensitive {
                p.sensitive = s;
                what.push("sensitivity".to_string());
            }
            if let Some(r) = &patch.repeat {
                p.repeat = Some(r.clone());
                what.push("index range".to_string());
            }
            if let Some(e) = &patch.error {
                for k in &mut p.constraints {
                    k.error = Some(e.clone());
                }
                what.push(format!("error code {e}"));
            }
            if !patch.constraints.is_empty() {
                p.constraints.extend(patch.constraints.iter().cloned());
                what.push(format!("{} constraint(s)", patch.constraints.len()));
            }
            if !patch.members.is_empty() {
                p.members = patch.members.clone();
                what.push(format!("{} member(s)", patch.members.len()));
            }
            self.from_overlay
                .push(format!("parameter {name}: {}", what.join(", ")));
        }
        for p in &o.add_parameters {
            c.parameters.push(p.clone());
            self.from_overlay
                .push(format!("parameter {} (not on the page)", p.name));
        }
        for r in &o.rules {
            c.rules.push(r.clone());
            self.from_overlay.push(format!("rule on {}", r.param));
        }
        for (path, patch) in &o.fields {
            let Some(f) = find_field(&mut c.response.fields, path) else {
                self.diag(
                    0,
                    DiagnosticKind::OverlayMismatch,
                    format!("the overlay sets the response field {path}, which the page does not document"),
                );
                continue;
            };
            if let Some(g) = &patch.generate {
                f.generate = Some(g.clone());
            }
            if let Some(t) = patch.ty {
                f.ty = t;
            }
            self.from_overlay.push(format!("response field {path}"));
        }
        if let Some(d) = o.documented_only {
            c.response.documented_only = d;
            self.from_overlay.push("response documented only".into());
        }
        for u in &o.unique {
            c.limits.unique.push(u.clone());
            self.from_overlay.push(format!("unique {}", u.param));
        }
        for n in &o.notes {
            c.notes.push(n.clone());
        }
        if !o.notes.is_empty() {
            self.from_overlay.push(format!("{} note(s)", o.notes.len()));
        }
        for f in &o.findings {
            findings.push(f.clone());
            self.from_overlay.push(format!("finding {}", f.id));
        }
    }
}
