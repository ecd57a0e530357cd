//! Turning flattened form parameters (`TagSpecification.Tags.0.Key=env`) back into the JSON
//! tree they stand for.

use crate::protocol::encoding::{MAX_VALUES, split_ascii};
use crate::protocol::json::Members;
use crate::protocol::{Json, Object, Text};

/// Rebuilds nested objects and lists from dotted names; numeric segments make lists (0- or
/// 1-based, in index order). Values stay strings, borrowed from `pairs` as the names are. A
/// name is kept whole (and so undocumented) when it is deeper than `MAX_DEPTH` (32), or once
/// the names before it have spent [`MAX_VALUES`] segments: a client chooses neither how deep
/// the recursion below goes nor how many nodes the tree gets (50,000 names of 32 distinct
/// segments each would otherwise build 1.6 million objects, over 600 MB).
pub fn unflatten<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Json<'_> {
    let mut root = Draft::default();
    let mut spent = 0;
    for (name, value) in pairs {
        let (name, value) = (name.as_ref(), value.as_ref());
        // Most names are plain: no list of segments for them (the same count and insert as
        // below).
        if spent < MAX_VALUES && memchr::memchr(b'.', name.as_bytes()).is_none() {
            spent += 1;
            insert(&mut root, &[name], value);
            continue;
        }
        // One segment past the depth is enough to know a name is too deep: a name of a
        // million dots costs no list of a million segments.
        let segs: Vec<&str> = split_ascii(name, b'.').take(MAX_DEPTH + 1).collect();
        if segs.len() > MAX_DEPTH || spent + segs.len() > MAX_VALUES {
            insert(&mut root, &[name], value);
        } else {
            spent += segs.len();
            insert(&mut root, &segs, value);
        }
    }
    root.finish()
}

/// The most dotted segments a name may have to be read as a structure.
pub const MAX_DEPTH: usize = 32;

/// The tree while it is rebuilt: a value, or members by name.
enum Draft<'a> {
    Leaf(&'a str),
    Branch(Members<'a, Draft<'a>>),
}

impl Default for Draft<'_> {
    fn default() -> Self {
        Draft::Branch(Members::new())
    }
}

impl<'a> Draft<'a> {
    /// The finished tree: members whose names are all numbers become lists ordered by
    /// number.
    fn finish(self) -> Json<'a> {
        let members = match self {
            Draft::Leaf(v) => return Json::String(Text::Borrowed(v)),
            Draft::Branch(members) => members.into_vec(),
        };
        let numeric = !members.is_empty()
            && members.iter().all(|(k, _)| {
                !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) && k.len() < 10
            });
        if numeric {
            let mut items: Vec<(u64, Json)> = members
                .into_iter()
                .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), v.finish()))
                .collect();
            items.sort_by_key(|(k, _)| *k);
            Json::Array(items.into_iter().map(|(_, v)| v).collect())
        } else {
            Json::Object(Object::from_unique(
                members.into_iter().map(|(k, v)| (k, v.finish())).collect(),
            ))
        }
    }
}

fn insert<'a>(node: &mut Draft<'a>, segs: &[&'a str], value: &'a str) {
    let Some((head, rest)) = segs.split_first() else {
        return;
    };
    let Draft::Branch(members) = node else { return };
    let child = members.slot(Text::Borrowed(head));
    if rest.is_empty() {
        *child = Draft::Leaf(value);
        return;
    }
    if !matches!(child, Draft::Branch(_)) {
        // A name used both as a value and as a prefix: keep the value.
        return;
    }
    insert(child, rest, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value, json};

    #[test]
    fn rebuilds_nested_lists() {
        let pairs: Vec<(String, String)> = [
            ("TagSpecification.ResourceType", "instance"),
            ("TagSpecification.Tags.1.Key", "team"),
            ("TagSpecification.Tags.0.Key", "env"),
            ("SyncTag", "True"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            unflatten(&pairs).to_value(),
            json!({"TagSpecification": {"ResourceType": "instance", "Tags": [{"Key": "env"}, {"Key": "team"}]}, "SyncTag": "True"})
        );
    }

    #[test]
    fn conflicting_names_do_not_panic() {
        let pairs = vec![
            ("a".to_string(), "1".to_string()),
            ("a.b".to_string(), "2".to_string()),
        ];
        assert_eq!(unflatten(&pairs).to_value(), json!({"a": "1"}));
    }

    #[test]
    fn names_past_the_node_budget_are_kept_whole() {
        let name = |i: usize| format!("x{i}.{}", vec!["a"; 30].join("."));
        let per = 31;
        let fit = MAX_VALUES / per;
        let pairs: Vec<(String, String)> =
            (0..fit + 2).map(|i| (name(i), "1".to_string())).collect();
        let tree = unflatten(&pairs);
        let root = tree.as_object().unwrap();
        assert_eq!(root.len(), fit + 2);
        assert!(
            root.get(&format!("x{}", fit - 1))
                .is_some_and(Json::is_object),
            "within the budget"
        );
        assert_eq!(
            root.get(&name(fit)),
            Some(&Json::String("1".into())),
            "past it, whole"
        );
        assert_eq!(root.get(&name(fit + 1)), Some(&Json::String("1".into())));
    }

    /// The rebuild as first written: every name split into a list, every object rebuilt, in
    /// `serde_json`'s ordered map.
    fn unflatten_slow(pairs: &[(String, String)]) -> Value {
        fn listify_slow(v: Value) -> Value {
            match v {
                Value::Object(map) => {
                    let numeric = !map.is_empty()
                        && map.keys().all(|k| {
                            !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) && k.len() < 10
                        });
                    if numeric {
                        let mut items: Vec<(u64, Value)> = map
                            .into_iter()
                            .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), listify_slow(v)))
                            .collect();
                        items.sort_by_key(|(k, _)| *k);
                        Value::Array(items.into_iter().map(|(_, v)| v).collect())
                    } else {
                        Value::Object(map.into_iter().map(|(k, v)| (k, listify_slow(v))).collect())
                    }
                }
                other => other,
            }
        }
        fn insert_slow(node: &mut Value, segs: &[&str], value: &str) {
            let Some((head, rest)) = segs.split_first() else {
                return;
            };
            let Value::Object(map) = node else { return };
            if rest.is_empty() {
                map.insert((*head).to_string(), Value::String(value.to_string()));
                return;
            }
            let child = map
                .entry((*head).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if child.is_object() {
                insert_slow(child, rest, value);
            }
        }
        let mut root = Value::Object(Map::new());
        let mut spent = 0;
        for (name, value) in pairs {
            let segs: Vec<&str> = name.split('.').take(MAX_DEPTH + 1).collect();
            if segs.len() > MAX_DEPTH || spent + segs.len() > MAX_VALUES {
                insert_slow(&mut root, &[name.as_str()], value);
            } else {
                spent += segs.len();
                insert_slow(&mut root, &segs, value);
            }
        }
        listify_slow(root)
    }

    proptest::proptest! {
        // Names from a small alphabet of segments, so that prefixes, lists and conflicts
        // between values and objects all occur.
        #[test]
        fn unflatten_matches_the_first_version(
            pairs in proptest::collection::vec(("[ab01]{0,2}(\\.[ab01]{0,2}){0,3}", "[xy]{0,2}"), 0..16)
        ) {
            let ours = unflatten(&pairs);
            let theirs = unflatten_slow(&pairs);
            proptest::prop_assert_eq!(ours.to_string(), theirs.to_string());
            proptest::prop_assert_eq!(ours.to_value(), theirs);
        }

        // Many distinct names at the top and under one prefix, so that members are found
        // through the index as well as by scanning.
        #[test]
        fn unflatten_of_many_names_matches_the_first_version(
            pairs in proptest::collection::vec(("(p\\.)?[a-f][a-f0-3]?(\\.[ab01]){0,2}", "[xy]{0,2}"), 0..80)
        ) {
            let ours = unflatten(&pairs);
            let theirs = unflatten_slow(&pairs);
            proptest::prop_assert_eq!(ours.to_string(), theirs.to_string());
        }
    }
}
