//! Resolving wire names (`Parameter.3.Code`, `TagSpecification.Tags.0.Key`) to documented
//! parameters (`Parameter.N.Code`, `TagSpecification` → `Tags` → `Key`).

use super::model::{Contract, ParamType, Parameter};

/// A resolved parameter and the repeat indexes used on the way.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    /// The documented parameter.
    pub param: &'a Parameter,
    /// The repeat index, for `N` names.
    pub index: Option<u32>,
}

impl Contract {
    /// Finds the documented parameter a wire name refers to.
    pub fn parameter(&self, name: &str) -> Option<Resolved<'_>> {
        resolve(&self.parameters, name)
    }
}

/// Resolves `name` among `params`: an exact name, a repeated name with its index in range,
/// or a path into the members of structures and lists (list indexes are skipped).
pub fn resolve<'a>(params: &'a [Parameter], name: &str) -> Option<Resolved<'a>> {
    if let Some(p) = params.iter().find(|p| p.name == name) {
        return Some(Resolved {
            param: p,
            index: None,
        });
    }
    for p in params.iter().filter(|p| p.repeat.is_some()) {
        if let Some(index) = match_repeated(&p.name, name)
            && p.repeat
                .as_ref()
                .is_some_and(|r| index >= r.min && r.max.is_none_or(|max| index <= max))
        {
            return Some(Resolved {
                param: p,
                index: Some(index),
            });
        }
    }
    let (head, rest) = name.split_once('.')?;
    let parent = params
        .iter()
        .find(|p| p.name == head && matches!(p.ty, ParamType::Object | ParamType::Array))?;
    let rest = if parent.ty == ParamType::Array {
        match rest.split_once('.') {
            Some((idx, tail)) if idx.bytes().all(|b| b.is_ascii_digit()) => tail,
            _ => rest,
        }
    } else {
        rest
    };
    resolve(&parent.members, rest)
}

/// Matches `Parameter.N.Code` against `Parameter.12.Code`, returning 12.
fn match_repeated(pattern: &str, name: &str) -> Option<u32> {
    let mut index = None;
    let mut a = pattern.split('.');
    let mut b = name.split('.');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return index,
            (Some("N"), Some(n)) if !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()) => {
                index = Some(n.parse().ok()?);
            }
            (Some(x), Some(y)) if x == y => {}
            _ => return None,
        }
    }
}

/// Visits every parameter, depth first, with its dotted path (`TagSpecification.Tags.Key`).
pub fn walk<'a>(params: &'a [Parameter], f: &mut impl FnMut(&str, &'a Parameter, &str)) {
    fn go<'a>(
        params: &'a [Parameter],
        prefix: &str,
        json_prefix: &str,
        f: &mut impl FnMut(&str, &'a Parameter, &str),
    ) {
        for (i, p) in params.iter().enumerate() {
            let path = if prefix.is_empty() {
                p.name.clone()
            } else {
                format!("{prefix}.{}", p.name)
            };
            let json = format!("{json_prefix}[{i}]");
            f(&path, p, &json);
            go(&p.members, &path, &format!("{json}.members"), f);
        }
    }
    go(params, "", "parameters", f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::model::{Location, Origin, Repeat};

    fn param(name: &str, ty: ParamType, members: Vec<Parameter>) -> Parameter {
        Parameter {
            name: name.into(),
            printed_as: None,
            location: Location::Body,
            ty,
            item_type: None,
            type_name: None,
            required: false,
            default: None,
            example: None,
            description: String::new(),
            sensitive: false,
            repeat: None,
            constraints: vec![],
            members,
            origin: Origin::Page([1, 1]),
        }
    }

    #[test]
    fn resolves_repeated_names_within_range() {
        let mut p = param("Parameter.N.Code", ParamType::String, vec![]);
        p.repeat = Some(Repeat {
            min: 1,
            max: Some(100),
            origin: Origin::Page([1, 1]),
        });
        let params = vec![p];
        assert_eq!(
            resolve(&params, "Parameter.7.Code").map(|r| r.index),
            Some(Some(7))
        );
        assert!(resolve(&params, "Parameter.0.Code").is_none());
        assert!(resolve(&params, "Parameter.101.Code").is_none());
        assert!(resolve(&params, "Parameter.x.Code").is_none());
        assert!(resolve(&params, "Parameter.1.Value").is_none());
    }

    #[test]
    fn resolves_flattened_members() {
        let tags = param(
            "Tags",
            ParamType::Array,
            vec![param("Key", ParamType::String, vec![])],
        );
        let spec = param("TagSpecification", ParamType::Object, vec![tags]);
        let params = vec![spec];
        let r = resolve(&params, "TagSpecification.Tags.0.Key");
        assert_eq!(r.map(|r| r.param.name.as_str()), Some("Key"));
        assert!(resolve(&params, "TagSpecification.Tags.0.Nope").is_none());
        assert!(resolve(&params, "TagSpecification.Tags").is_some());
    }
}
