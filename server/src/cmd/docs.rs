//! Command metadata as Redis 7.0 reports it: `COMMAND INFO` entries (flags, ACL categories, tips, key
//! specs, subcommands) and `COMMAND DOCS` entries (summary, arguments with their specs...), plus
//! `COMMAND GETKEYS` driven by the key specs. Key decision: the data is not retyped by hand — it is
//! the raw RESP3 reply of `COMMAND INFO` and `COMMAND DOCS` captured once from redis-server by
//! `server/tools/gen_command_docs.sh` into `redis_commands.resp`, embedded with `include_bytes!`,
//! parsed on first use into a small tree ([`Node`]) and re-emitted through [`Reply`], so both RESP2 and
//! RESP3 replies are Redis's byte for byte. Only commands (and subcommands) ferrous implements are
//! shown; a command missing from the capture falls back to what its table entry says.

use super::table::{table, Command};
use crate::resp::Reply;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The capture: `+OK` (CLIENT REPLY ON), the `COMMAND INFO` array, the `COMMAND DOCS` map, `+OK`.
static DATA: &[u8] = include_bytes!("redis_commands.resp");

/// One RESP3 value of the capture (strings borrow from [`DATA`]).
#[derive(Debug)]
pub enum Node {
    /// `+text`.
    Simple(&'static [u8]),
    /// `$len text`.
    Bulk(&'static [u8]),
    /// `:n`.
    Int(i64),
    /// `*n`.
    Array(Vec<Node>),
    /// `~n`.
    Set(Vec<Node>),
    /// `%n` key/value pairs.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The bytes of a string node.
    pub fn bytes(&self) -> Option<&'static [u8]> {
        match self {
            Node::Simple(b) | Node::Bulk(b) => Some(b),
            _ => None,
        }
    }

    /// The value under `key` in a map node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.bytes() == Some(key.as_bytes()))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The elements of an array or set node (empty for others).
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Array(v) | Node::Set(v) => v,
            _ => &[],
        }
    }

    fn int(&self) -> Option<i64> {
        match self {
            Node::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// Writes the node as a reply.
    fn write(&self, out: &mut Reply) {
        match self {
            Node::Simple(b) => out.simple(&String::from_utf8_lossy(b)),
            Node::Bulk(b) => out.bulk(b),
            Node::Int(n) => out.int(*n),
            Node::Array(v) => {
                out.array(v.len());
                v.iter().for_each(|n| n.write(out));
            }
            Node::Set(v) => {
                out.set(v.len());
                v.iter().for_each(|n| n.write(out));
            }
            Node::Map(pairs) => {
                out.map(pairs.len());
                for (k, v) in pairs {
                    k.write(out);
                    v.write(out);
                }
            }
        }
    }
}

/// Parses one value at `*pos` (the capture is trusted input produced by redis-server).
fn parse(data: &'static [u8], pos: &mut usize) -> Option<Node> {
    let kind = *data.get(*pos)?;
    let end = *pos + data[*pos..].windows(2).position(|w| w == b"\r\n")?;
    let line = &data[*pos + 1..end];
    *pos = end + 2;
    let num = || -> Option<i64> { std::str::from_utf8(line).ok()?.parse().ok() };
    Some(match kind {
        b'+' => Node::Simple(line),
        b':' => Node::Int(num()?),
        b'$' => {
            let n = num()? as usize;
            let s = data.get(*pos..*pos + n)?;
            *pos += n + 2;
            Node::Bulk(s)
        }
        b'*' | b'~' => {
            let v = (0..num()?)
                .map(|_| parse(data, pos))
                .collect::<Option<Vec<_>>>()?;
            if kind == b'*' {
                Node::Array(v)
            } else {
                Node::Set(v)
            }
        }
        b'%' => Node::Map(
            (0..num()?)
                .map(|_| Some((parse(data, pos)?, parse(data, pos)?)))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => return None,
    })
}

/// Redis's metadata, by lowercase top-level command name.
struct Catalog {
    info: HashMap<&'static [u8], Node>,
    docs: HashMap<&'static [u8], Node>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut pos = 0;
        let mut values = std::iter::from_fn(|| parse(DATA, &mut pos));
        let _ok = values.next();
        let info = match values.next() {
            Some(Node::Array(v)) => v
                .into_iter()
                .filter_map(|e| Some((e.items().first()?.bytes()?, e)))
                .collect(),
            _ => HashMap::new(),
        };
        let docs = match values.next() {
            Some(Node::Map(pairs)) => pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.bytes()?, v)))
                .collect(),
            _ => HashMap::new(),
        };
        Catalog { info, docs }
    })
}

/// Resolves `name` or `container|sub` to our command and its full name.
pub fn resolve(name: &[u8]) -> Option<(&'static Command, Option<&'static Command>)> {
    let mut parts = name.splitn(2, |&c| c == b'|');
    let top = table().lookup(parts.next()?)?.cmd;
    match parts.next() {
        None => Some((top, None)),
        Some(sub) => Some((top, Some(top.subcommand(sub)?))),
    }
}

/// The Redis `COMMAND INFO` node of a command (`sub` for a subcommand of `top`).
fn info_node(top: &Command, sub: Option<&Command>) -> Option<&'static Node> {
    let node = catalog().info.get(top.name.as_bytes())?;
    match sub {
        None => Some(node),
        Some(s) => {
            let full = format!("{}|{}", top.name, s.name);
            node.items()
                .get(9)?
                .items()
                .iter()
                .find(|e| e.items().first().and_then(Node::bytes) == Some(full.as_bytes()))
        }
    }
}

/// The Redis `COMMAND DOCS` node of a command.
fn docs_node(top: &Command, sub: Option<&Command>) -> Option<&'static Node> {
    let node = catalog().docs.get(top.name.as_bytes())?;
    match sub {
        None => Some(node),
        Some(s) => node
            .get("subcommands")?
            .get(&format!("{}|{}", top.name, s.name)),
    }
}

/// True when `full` (`config|get`) names a subcommand of `top` that ferrous implements.
fn implemented_sub(top: &Command, full: Option<&[u8]>) -> bool {
    let Some(full) = full else {
        return false;
    };
    let sub = full.rsplit(|&c| c == b'|').next().unwrap_or(full);
    top.subcommand(sub).is_some()
}

/// Writes one `COMMAND INFO` entry: Redis's own, with only the subcommands ferrous has.
pub fn write_info(out: &mut Reply, top: &Command, sub: Option<&Command>) {
    let Some(node) = info_node(top, sub) else {
        return fallback_info(out, sub.unwrap_or(top), sub.map(|_| top.name));
    };
    let items = node.items();
    out.array(items.len());
    for (i, item) in items.iter().enumerate() {
        if i != 9 {
            item.write(out);
            continue;
        }
        let subs: Vec<&Node> = item
            .items()
            .iter()
            .filter(|e| implemented_sub(top, e.items().first().and_then(Node::bytes)))
            .collect();
        out.set(subs.len());
        for s in subs {
            s.write(out);
        }
    }
}

/// A `COMMAND INFO` entry built from the table (commands Redis does not have).
fn fallback_info(out: &mut Reply, c: &Command, parent: Option<&str>) {
    out.array(10);
    match parent {
        Some(p) => out.bulk(format!("{p}|{}", c.name).as_bytes()),
        None => out.bulk(c.name.as_bytes()),
    }
    out.int(c.arity as i64);
    let flags: Vec<&str> = c.flags.split_ascii_whitespace().collect();
    out.set(flags.len());
    flags.iter().for_each(|f| out.simple(f));
    out.int(c.first_key as i64);
    out.int(c.last_key as i64);
    out.int(c.step as i64);
    let acl: Vec<&str> = c.acl.split_ascii_whitespace().collect();
    out.set(acl.len());
    acl.iter().for_each(|a| out.simple(&format!("@{a}")));
    out.set(0);
    out.set(0);
    out.set(c.subcommands.len());
    for s in c.subcommands {
        fallback_info(out, s, Some(c.name));
    }
}

/// Writes one `COMMAND DOCS` value (the map after the name): Redis's own, with only the subcommands
/// ferrous has.
pub fn write_docs(out: &mut Reply, top: &Command, sub: Option<&Command>) {
    let Some(Node::Map(pairs)) = docs_node(top, sub) else {
        return fallback_docs(out, sub.unwrap_or(top));
    };
    out.map(pairs.len());
    for (k, v) in pairs {
        k.write(out);
        if k.bytes() != Some(b"subcommands") {
            v.write(out);
            continue;
        }
        let subs: Vec<&(Node, Node)> = match v {
            Node::Map(s) => s
                .iter()
                .filter(|(name, _)| implemented_sub(top, name.bytes()))
                .collect(),
            _ => Vec::new(),
        };
        out.map(subs.len());
        for (name, d) in subs {
            name.write(out);
            d.write(out);
        }
    }
}

/// A `COMMAND DOCS` value built from the table.
fn fallback_docs(out: &mut Reply, c: &Command) {
    out.map(4);
    for (k, v) in [
        ("summary", c.summary),
        ("since", c.since),
        ("group", c.group),
        ("complexity", c.complexity),
    ] {
        out.bulk(k.as_bytes());
        out.bulk(v.as_bytes());
    }
}

/// Why `COMMAND GETKEYS` found no keys.
#[derive(Debug, PartialEq, Eq)]
pub enum GetKeysError {
    /// The command takes no key at all.
    NoKeys,
    /// The arguments do not fit the key specs.
    Invalid,
}

/// The key specs of a command (Redis's), or a single range spec from the table's first/last/step.
fn key_specs(top: &Command, sub: Option<&Command>) -> Vec<&'static Node> {
    info_node(top, sub)
        .and_then(|n| n.items().get(8))
        .map(|s| s.items().iter().collect())
        .unwrap_or_default()
}

/// Positions of the key arguments of the call `argv` (`argv[0]` is the command name), like Redis's
/// `getKeysFromCommandWithSpecs`: every key spec in turn, and when one does not fit the arguments,
/// the command's own key finder (SORT's STORE scan; none for the numkeys commands, whose finders
/// reject the same calls).
pub fn get_keys(
    top: &Command,
    sub: Option<&Command>,
    argv: &[Vec<u8>],
) -> Result<Vec<KeyRef>, GetKeysError> {
    let cmd = sub.unwrap_or(top);
    let specs = key_specs(top, sub);
    let has_keys = specs.iter().any(|s| !has_flag(s, "not_key"));
    if specs.is_empty() && cmd.first_key > 0 {
        let positions = cmd.key_positions(argv.len()).into_iter();
        return Ok(positions.map(|pos| KeyRef { pos, flags: &[] }).collect());
    }
    if !has_keys {
        return Err(GetKeysError::NoKeys);
    }
    if specs.iter().any(|s| has_flag(s, "variable_flags")) {
        return fallback_keys(top, argv);
    }
    let mut keys = Vec::new();
    for spec in specs.iter().filter(|s| !has_flag(s, "not_key")) {
        let flags = spec.get("flags").map_or(&[][..], Node::items);
        match spec_keys(spec, argv) {
            Some(found) if !has_flag(spec, "incomplete") => {
                keys.extend(found.into_iter().map(|pos| KeyRef { pos, flags }))
            }
            _ => return fallback_keys(top, argv),
        }
    }
    Ok(keys)
}

/// A key argument found by [`get_keys`]: its position and its key-spec flags (`RO`, `access`...).
#[derive(Debug)]
pub struct KeyRef {
    /// Index in the call.
    pub pos: usize,
    /// The spec's flag words, as simple-string nodes.
    pub flags: &'static [Node],
}

fn has_flag(spec: &Node, flag: &str) -> bool {
    spec.get("flags").is_some_and(|f| {
        f.items().iter().any(|x| {
            x.bytes()
                .is_some_and(|b| b.eq_ignore_ascii_case(flag.as_bytes()))
        })
    })
}

/// The keys one spec finds, or `None` when the spec does not fit (`invalid_spec` in Redis).
fn spec_keys(spec: &Node, argv: &[Vec<u8>]) -> Option<Vec<usize>> {
    let argc = argv.len() as i64;
    let bs = spec.get("begin_search")?;
    let bs_spec = bs.get("spec")?;
    let first = match bs.get("type")?.bytes()? {
        b"index" => bs_spec.get("index")?.int()?,
        b"keyword" => {
            let word = bs_spec.get("keyword")?.bytes()?;
            let from = bs_spec.get("startfrom")?.int()?;
            match keyword_position(argv, word, from) {
                Some(i) => i + 1,
                None => return Some(Vec::new()),
            }
        }
        _ => return None,
    };
    let fk = spec.get("find_keys")?;
    let fk_spec = fk.get("spec")?;
    let (first, last, step) = match fk.get("type")?.bytes()? {
        b"range" => {
            let lastkey = fk_spec.get("lastkey")?.int()?;
            let limit = fk_spec.get("limit")?.int()?;
            let last = if lastkey >= 0 {
                first + lastkey
            } else if limit == 0 {
                argc + lastkey
            } else {
                first + ((argc - first) / limit + lastkey)
            };
            (first, last, fk_spec.get("keystep")?.int()?)
        }
        b"keynum" => {
            let idx = fk_spec.get("keynumidx")?.int()?;
            if idx >= argc {
                return None;
            }
            let arg = argv.get(usize::try_from(first + idx).ok()?)?;
            let n = crate::resp::parser::parse_i64(arg).filter(|&n| n >= 0)?;
            let first = first + fk_spec.get("firstkey")?.int()?;
            (first, first + n - 1, fk_spec.get("keystep")?.int()?)
        }
        _ => return None,
    };
    if last >= argc || last < first || first >= argc {
        return None;
    }
    Some(
        (first..=last)
            .step_by(step.max(1) as usize)
            .map(|i| i as usize)
            .collect(),
    )
}

/// Where `word` appears, searching from `from` (negative: from the end, backwards).
fn keyword_position(argv: &[Vec<u8>], word: &[u8], from: i64) -> Option<i64> {
    let argc = argv.len() as i64;
    let start = if from > 0 { from } else { argc + from };
    let end = if from > 0 { argc - 1 } else { 1 };
    let mut i = start;
    while i != end {
        if i >= argc || i < 1 {
            return None;
        }
        if argv[i as usize].eq_ignore_ascii_case(word) {
            return Some(i);
        }
        i = if start <= end { i + 1 } else { i - 1 };
    }
    None
}

/// The command-specific key finders Redis falls back to when a spec does not fit.
fn fallback_keys(top: &Command, argv: &[Vec<u8>]) -> Result<Vec<KeyRef>, GetKeysError> {
    static READ: [Node; 2] = [Node::Simple(b"RO"), Node::Simple(b"access")];
    static STORE: [Node; 2] = [Node::Simple(b"OW"), Node::Simple(b"update")];
    static MODIFY: [Node; 3] = [
        Node::Simple(b"RW"),
        Node::Simple(b"access"),
        Node::Simple(b"update"),
    ];
    let source = KeyRef {
        pos: 1,
        flags: &READ,
    };
    let first = |flags| Ok(vec![KeyRef { pos: 1, flags }]);
    match top.name {
        "set" if argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"GET")) => first(&MODIFY),
        "set" => first(&STORE),
        "bitfield" if bitfield_readonly(argv) => first(&READ),
        "bitfield" => first(&MODIFY),
        "sort" => Ok(std::iter::once(source)
            .chain(sort_store(argv).map(|pos| KeyRef { pos, flags: &STORE }))
            .collect()),
        "sort_ro" => Ok(vec![source]),
        _ => Err(GetKeysError::Invalid),
    }
}

/// Redis's `bitfieldGetKeys` test: only GET and OVERFLOW operations.
fn bitfield_readonly(argv: &[Vec<u8>]) -> bool {
    let mut i = 2;
    while i < argv.len() {
        let left = argv.len() - i - 1;
        let a = &argv[i];
        if a.eq_ignore_ascii_case(b"GET") && left >= 2 {
            i += 2;
        } else if a.eq_ignore_ascii_case(b"OVERFLOW") && left >= 1 {
            i += 1;
        } else {
            return false;
        }
        i += 1;
    }
    true
}

/// Redis's `sortGetKeys` scan for the last `STORE` destination.
fn sort_store(argv: &[Vec<u8>]) -> Option<usize> {
    let mut store = None;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if a.eq_ignore_ascii_case(b"limit") {
            i += 2;
        } else if a.eq_ignore_ascii_case(b"store") && i + 1 < argv.len() {
            store = Some(i + 1);
        } else if a.eq_ignore_ascii_case(b"get") || a.eq_ignore_ascii_case(b"by") {
            i += 1;
        }
        i += 1;
    }
    store
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_parses_and_matches_the_table() {
        let cat = catalog();
        assert!(cat.info.len() >= 200);
        assert_eq!(cat.info.len(), cat.docs.len());
        let mut wrong = Vec::new();
        let mut check = |c: &Command, info: &Node, name: String| {
            let items = info.items();
            let flags: Vec<&[u8]> = items[2].items().iter().filter_map(Node::bytes).collect();
            let ours: Vec<&[u8]> = c
                .flags
                .split_ascii_whitespace()
                .map(str::as_bytes)
                .collect();
            let keys = [c.first_key, c.last_key, c.step].map(i64::from);
            let theirs = [3, 4, 5].map(|i| items[i].int().unwrap_or(0));
            let acl: Vec<String> = c
                .acl
                .split_ascii_whitespace()
                .map(|a| format!("@{a}"))
                .collect();
            let their_acl: Vec<String> = items[6]
                .items()
                .iter()
                .filter_map(|n| Some(String::from_utf8_lossy(n.bytes()?).into_owned()))
                .collect();
            if items[1].int() != Some(i64::from(c.arity))
                || flags != ours
                || keys != theirs
                || acl != their_acl
            {
                wrong.push(name);
            }
        };
        for c in &table().order {
            let Some(info) = cat.info.get(c.name.as_bytes()) else {
                continue;
            };
            check(c, info, c.name.to_string());
            for s in c.subcommands {
                if let Some(i) = info_node(c, Some(s)) {
                    check(s, i, format!("{}|{}", c.name, s.name));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "table entries differing from Redis: {wrong:?}"
        );
    }
}
