//! Rows into trees: item rows join their lists, members their structures (by the table's marks, the page's sample, or the rows' order), to a bounded depth.

use super::*;

/// Where a response field sits according to a sample.
pub(super) enum Placement {
    Unknown,
    Top,
    Under(String),
}

/// `Some(None)`: at the top of the sample; `Some(Some(p))`: inside the object `p`.
pub(super) fn parent_in_sample(v: &serde_json::Value, name: &str) -> Option<Option<String>> {
    fn walk(v: &serde_json::Value, name: &str, parent: Option<&str>) -> Option<Option<String>> {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key(name) {
                    return Some(parent.map(str::to_string));
                }
                m.iter()
                    .find_map(|(k, child)| walk(child, name, Some(k.as_str())))
            }
            serde_json::Value::Array(items) => {
                items.iter().find_map(|item| walk(item, name, parent))
            }
            _ => None,
        }
    }
    walk(v, name, None)
}

pub(super) struct Node {
    pub(super) row: Row,
    pub(super) item: Option<Row>,
    pub(super) children: Vec<Node>,
}

impl Node {
    /// The row with a scalar item row joined to it, the array's item type, and the members.
    pub(super) fn merged(self) -> (Row, Option<ParamType>, Vec<Node>) {
        let Node {
            mut row,
            item,
            children,
        } = self;
        let mut item_type = row.ty.item;
        if let Some(item) = item {
            item_type = Some(item.ty.ty);
            merge_item(&mut row, item);
        }
        (row, item_type, children)
    }
}

/// Joins a scalar item row to its array: descriptions in order, the item's example.
pub(super) fn merge_item(row: &mut Row, item: Row) {
    if !item.description.is_empty() {
        if !row.description.is_empty() {
            row.description.push((item.lines.0, String::new()));
        }
        row.description.extend(item.description);
    }
    if item.example.is_some() {
        row.example = item.example;
    }
    row.lines.1 = row.lines.1.max(item.lines.1);
}

impl Cx<'_, '_> {
    /// Nests rows: item rows join their array, and in nested layouts members join the
    /// structure above them (or the one a sample places them in).
    pub(super) fn nest(
        &mut self,
        rows: Vec<Row>,
        nested: bool,
        place: &dyn Fn(&str) -> Placement,
    ) -> Vec<Node> {
        if rows.iter().any(|r| r.depth.is_some()) {
            return self.nest_by_depth(rows);
        }
        struct N {
            row: Row,
            item: Option<Row>,
            children: Vec<usize>,
            container: bool,
            root: bool,
        }
        let mut arena: Vec<N> = Vec::new();
        let mut top: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut last: Option<usize> = None;
        let mut skipped_root = false;
        for row in rows {
            let Some(name) = row.name.clone() else {
                if let Some(l) = last {
                    if arena[l].row.ty.ty == ParamType::Array && arena[l].item.is_none() {
                        let object = row.ty.ty == ParamType::Object;
                        arena[l].item = Some(row);
                        if !object {
                            arena[l].container = false;
                            if stack.last() == Some(&l) {
                                stack.pop();
                            }
                        }
                        continue;
                    }
                }
                if arena.is_empty() && !skipped_root && row.ty.ty == ParamType::Object {
                    skipped_root = true;
                    continue;
                }
                self.orphan_item(&row);
                continue;
            };
            // A structure, or a list of structures, holds the rows below it; a list of
            // scalars (`Array of String`) holds nothing.
            let container = nested
                && match row.ty.ty {
                    ParamType::Object => true,
                    ParamType::Array => matches!(row.ty.item, None | Some(ParamType::Object)),
                    _ => false,
                }
                && row.ty.type_name.is_none()
                // `AlarmAction.N` (RepeatList): a flattened list, its members named in full.
                && !(name.ends_with(".N") || name.ends_with(".n"));
            let parent = match place(&name) {
                Placement::Top => {
                    stack.clear();
                    None
                }
                Placement::Under(p) => {
                    match arena
                        .iter()
                        .rposition(|n| n.container && n.row.name.as_deref() == Some(p.as_str()))
                    {
                        Some(id) => {
                            if let Some(pos) = stack.iter().position(|s| *s == id) {
                                stack.truncate(pos + 1);
                            } else {
                                stack = vec![id];
                            }
                            Some(id)
                        }
                        None => stack.last().copied(),
                    }
                }
                Placement::Unknown => {
                    if container {
                        while let Some(&t) = stack.last() {
                            if !arena[t].root && !arena[t].children.is_empty() {
                                stack.pop();
                            } else {
                                break;
                            }
                        }
                    }
                    stack.last().copied()
                }
            };
            let id = arena.len();
            let root = container && arena.is_empty() && !skipped_root;
            arena.push(N {
                row,
                item: None,
                children: Vec::new(),
                container,
                root,
            });
            match parent {
                Some(p) => arena[p].children.push(id),
                None => top.push(id),
            }
            // Bounded nesting: a container past the bound holds nothing of its own.
            if container && stack.len() < MAX_DEPTH {
                stack.push(id);
            }
            last = Some(id);
        }
        // Build the tree bottom-up (children always have larger ids).
        let mut built: Vec<Option<Node>> = Vec::with_capacity(arena.len());
        let mut children_of: Vec<Vec<usize>> = Vec::with_capacity(arena.len());
        for n in arena {
            children_of.push(n.children);
            built.push(Some(Node {
                row: n.row,
                item: n.item,
                children: Vec::new(),
            }));
        }
        for id in (0..built.len()).rev() {
            let kids: Vec<Node> = children_of[id]
                .iter()
                .filter_map(|k| built[*k].take())
                .collect();
            if let Some(n) = built[id].as_mut() {
                n.children = kids;
            }
        }
        top.iter().filter_map(|t| built[*t].take()).collect()
    }

    /// Reports an item row (a type without a name) that follows no list.
    pub(super) fn orphan_item(&mut self, row: &Row) {
        self.diag(
            row.lines.0,
            DiagnosticKind::Unplaced,
            format!(
                "a {} row without a name that follows no list",
                row.ty.printed
            ),
        );
    }

    /// Nests rows whose depth the table marks (`└Key` under `Tag`): each row goes under the
    /// last row one level up; item rows join their array.
    pub(super) fn nest_by_depth(&mut self, rows: Vec<Row>) -> Vec<Node> {
        fn attach(top: &mut Vec<Node>, path: &[usize], node: Node) {
            let mut level = top;
            for &i in path {
                level = &mut level[i].children;
            }
            level.push(node);
        }
        fn last_mut<'n>(top: &'n mut [Node], path: &[usize]) -> Option<&'n mut Node> {
            let (first, rest) = path.split_first()?;
            let mut node = top.get_mut(*first)?;
            for &i in rest {
                node = node.children.get_mut(i)?;
            }
            Some(node)
        }
        let mut top: Vec<Node> = Vec::new();
        // The index path to the last row at each depth.
        let mut path: Vec<usize> = Vec::new();
        for row in rows {
            if row.name.is_none() {
                if let Some(n) = last_mut(&mut top, &path) {
                    if n.row.ty.ty == ParamType::Array && n.item.is_none() {
                        n.item = Some(row);
                        continue;
                    }
                }
                self.orphan_item(&row);
                continue;
            }
            // Nesting is bounded: what the page marks deeper is placed at the bound.
            let depth = row.depth.unwrap_or(0).min(path.len()).min(MAX_DEPTH);
            if depth < row.depth.unwrap_or(0) {
                self.diag(
                    row.lines.0,
                    DiagnosticKind::Unplaced,
                    format!(
                        "{} is marked {} levels deep under a row {} deep; placed under that row",
                        row.name.as_deref().unwrap_or(""),
                        row.depth.unwrap_or(0),
                        path.len().saturating_sub(1)
                    ),
                );
            }
            path.truncate(depth);
            let node = Node {
                row,
                item: None,
                children: Vec::new(),
            };
            let index = match last_mut(&mut top, &path) {
                Some(parent) => parent.children.len(),
                None => top.len(),
            };
            attach(&mut top, &path, node);
            path.push(index);
        }
        top
    }
}
