//! Parameters and fields from table rows: names, locations, examples, prose, members from the data dictionary.

use super::*;

/// The value printed for `name` in a sample, as text.
pub(super) fn sample_value(v: &serde_json::Value, name: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => m
            .get(name)
            .and_then(|x| match x {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .or_else(|| m.values().find_map(|c| sample_value(c, name))),
        serde_json::Value::Array(items) => items.iter().find_map(|c| sample_value(c, name)),
        _ => None,
    }
}

impl Cx<'_, '_> {
    pub(super) fn param(
        &mut self,
        node: Node,
        provider: Provider,
        location: Location,
        example_col: bool,
        pairs: &[(String, String)],
        prose_of: &mut Vec<(String, Prose, Origin)>,
    ) -> Parameter {
        let (row, item_type, children) = node.merged();
        let printed = row.name.clone().unwrap_or_default();
        let name = printed
            .split('.')
            .map(|s| if s == "n" { "N" } else { s })
            .collect::<Vec<_>>()
            .join(".");
        // API 3.0 pages print a list `DiskIds` as `DiskIds.N`: on the wire it is a JSON
        // array (or `DiskIds.0`, `DiskIds.1` in form requests), named `DiskIds`.
        let name = match name.strip_suffix(".N") {
            Some(stem)
                if provider == Provider::Tencent
                    && row.ty.ty == ParamType::Array
                    && !stem.contains('.') =>
            {
                stem.to_string()
            }
            _ => name,
        };
        let p = prose::read(&row.description, row.ty.ty);
        let location = if p.common
            // RegionId travels as a common parameter: the SDKs add it from the client.
            || (provider == Provider::Alibaba
                && matches!(name.as_str(), "Action" | "Version" | "RegionId"))
        {
            Location::Common
        } else if self.path_params.contains(&name) {
            Location::Path
        } else {
            match row
                .position
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("body" | "formdata" | "form") => Location::Body,
                Some("header") => Location::Header,
                _ => location,
            }
        };
        let mut example = row.example.clone();
        if example.is_none() && !example_col {
            example = pairs
                .iter()
                .find(|(k, _)| *k == printed)
                .map(|(_, v)| v.clone());
        }
        let description = row.description_text();
        let sensitive = looks_sensitive(&name, &description, row.ty.ty);
        let repeated = name.split('.').any(|s| s == "N");
        let repeat = match p.repeat {
            Some((min, max, line)) => Some(Repeat {
                min,
                max: Some(max),
                origin: Origin::Page([line, line]),
            }),
            None if repeated => Some(Repeat {
                min: 1,
                max: None,
                origin: Origin::Page([row.lines.0, row.lines.0]),
            }),
            None => None,
        };
        let constraints = p
            .constraints
            .iter()
            .map(|f| Constraint {
                check: f.check.clone(),
                error: None,
                origin: Origin::Page([f.lines.0, f.lines.1]),
            })
            .collect();
        let mut members: Vec<Parameter> = children
            .into_iter()
            .map(|c| self.param(c, provider, location, example_col, pairs, prose_of))
            .collect();
        // A structure type named in the table and defined in the page's data structures
        // (never one already being expanded: structures may refer to themselves).
        if let Some(type_name) = row.ty.type_name.clone() {
            if members.is_empty() && !self.expanding.contains(&type_name) {
                if let Some(rows) = self.dictionary_rows(&type_name) {
                    self.expanding.push(type_name);
                    for r in rows {
                        let node = Node {
                            row: r,
                            item: None,
                            children: Vec::new(),
                        };
                        let member =
                            self.param(node, provider, location, example_col, pairs, prose_of);
                        members.push(member);
                    }
                    self.expanding.pop();
                }
            }
        }
        let last = members
            .iter()
            .filter_map(|m| match m.origin {
                Origin::Page([_, b]) => Some(b),
                _ => None,
            })
            .fold(row.lines.1, u32::max);
        let origin = Origin::Page([row.lines.0, last]);
        prose_of.push((name.clone(), p.clone(), origin.clone()));
        Parameter {
            name: name.clone(),
            printed_as: (name != printed).then_some(printed),
            location,
            ty: row.ty.ty,
            item_type,
            type_name: row.ty.type_name.clone(),
            required: row.required.unwrap_or(false),
            default: p.default.clone(),
            example,
            description,
            sensitive,
            repeat,
            constraints,
            members,
            origin,
        }
    }

    pub(super) fn field(
        &mut self,
        node: Node,
        example_col: bool,
        sample: Option<&serde_json::Value>,
    ) -> Field {
        let (row, item_type, children) = node.merged();
        let name = row.name.clone().unwrap_or_default();
        let mut example = row.example.clone();
        if example.is_none() && !example_col {
            example = sample.and_then(|v| sample_value(v, &name));
        }
        let mut members: Vec<Field> = children
            .into_iter()
            .map(|c| self.field(c, example_col, sample))
            .collect();
        let mut last = members
            .iter()
            .filter_map(|m| match m.origin {
                Origin::Page([_, b]) => Some(b),
                _ => None,
            })
            .fold(row.lines.1, u32::max);
        if let Some(type_name) = row.ty.type_name.clone() {
            match self.dictionary(&type_name) {
                Some((fields, end)) => {
                    members = fields;
                    last = last.max(end);
                }
                None => self.diag(
                    row.lines.0,
                    DiagnosticKind::MissingFact,
                    format!("the members of {name} ({type_name}) are not printed on the page"),
                ),
            }
        }
        let generate =
            matches!(name.as_str(), "RequestId" | "requestId").then_some(Generate::RequestId);
        let description = row.description_text();
        Field {
            sensitive: looks_sensitive(&name, &description, row.ty.ty),
            name,
            ty: row.ty.ty,
            item_type,
            description,
            example,
            members,
            generate,
            origin: Origin::Page([row.lines.0, last]),
        }
    }

    /// The fields of a named structure in the page's data dictionary, and its last line.
    pub(super) fn dictionary(&mut self, type_name: &str) -> Option<(Vec<Field>, u32)> {
        let rows = self.dictionary_rows(type_name)?;
        let end = rows.iter().map(|r| r.lines.1).max().unwrap_or(0);
        {
            let fields = rows
                .into_iter()
                .map(|row| {
                    let name = row.name.clone().unwrap_or_default();
                    let description = row.description_text();
                    Field {
                        sensitive: looks_sensitive(&name, &description, row.ty.ty),
                        name,
                        ty: row.ty.ty,
                        item_type: row.ty.item,
                        description,
                        example: row.example.clone(),
                        members: Vec::new(),
                        generate: None,
                        origin: Origin::Page([row.lines.0, row.lines.1]),
                    }
                })
                .collect();
            Some((fields, end))
        }
    }

    /// The rows of a named structure's table in the page's data dictionary (or data
    /// structure section), unplaced lines reported.
    pub(super) fn dictionary_rows(&mut self, type_name: &str) -> Option<Vec<Row>> {
        let page = self.page;
        for block in page.sections(Section::Dictionary) {
            let Some(at) = block.lines.iter().position(|l| l.text.trim() == type_name) else {
                continue;
            };
            let rest = &block.lines[at + 1..];
            let (header, next) = table::find_header(rest)?;
            let t = table::read_table(header, &rest[next..]);
            for (line, text, why) in &t.unplaced {
                self.diag(
                    *line,
                    DiagnosticKind::Unplaced,
                    format!("{type_name}: {why}: {}", clip(text)),
                );
            }
            return Some(t.rows);
        }
        None
    }
}
