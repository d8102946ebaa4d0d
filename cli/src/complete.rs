//! Tab completion for the REPL: keywords, globals, and fields of tables reached through a dotted
//! path (`string.fo` → `string.format`, `t.` → `t`'s keys, `s:up` → `s:upper` for a string or an
//! object whose metatable's `__index` is a table). Only raw reads are made: completion never runs
//! Lua code (no `__index` functions).

use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx;
use ferrous_lua::{Lua, Value};

const KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// How many `__index` tables are followed (guards against cycles).
const MAX_INDEX_CHAIN: usize = 16;

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ':'
}

fn is_identifier(s: &[u8]) -> bool {
    !s.is_empty()
        && !s[0].is_ascii_digit()
        && s.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
        && !KEYWORDS.iter().any(|k| k.as_bytes() == s)
}

/// Completions for `line` with the cursor at `pos`: where the replaced word starts, and the
/// sorted candidates for it.
pub fn complete(lua: &Lua, line: &str, pos: usize) -> (usize, Vec<String>) {
    let before = &line[..pos];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let word = &before[start..];
    let (path, method, prefix) = match word.rfind(['.', ':']) {
        Some(i) => (&word[..i], word.as_bytes()[i] == b':', &word[i + 1..]),
        None => ("", false, word),
    };
    let prefix_start = pos - prefix.len();
    let separated = prefix.len() != word.len();
    if path.contains(':')
        || (separated && path.is_empty())
        || word.starts_with(|c: char| c.is_ascii_digit())
    {
        return (prefix_start, Vec::new());
    }
    let mut names = lua.mutate(|ctx| {
        let mut names = Vec::new();
        let target = if !separated {
            Some(Value::Table(ctx.globals()))
        } else {
            path.split('.')
                .try_fold(Value::Table(ctx.globals()), |v, seg| index(ctx, v, seg))
        };
        if let Some(target) = target {
            for table in lookup_tables(ctx, target) {
                collect_keys(table, prefix, method, &mut names);
            }
        }
        names
    });
    if !separated {
        names.extend(
            KEYWORDS
                .iter()
                .filter(|k| k.starts_with(prefix))
                .map(|k| k.to_string()),
        );
    }
    names.sort();
    names.dedup();
    (prefix_start, names)
}

/// `v[key]` without running metamethods: raw reads along the `__index` tables.
fn index<'gc>(ctx: Ctx<'gc>, v: Value<'gc>, key: &str) -> Option<Value<'gc>> {
    if key.is_empty() {
        return None;
    }
    let key = ctx.str(key);
    lookup_tables(ctx, v)
        .into_iter()
        .map(|t| t.get(key))
        .find(|v| !matches!(v, Value::Nil))
}

/// The tables a raw read of `v`'s fields looks in: `v` itself (when a table), then the chain of
/// `__index` tables of the metatables (a string's is the `string` table).
fn lookup_tables<'gc>(ctx: Ctx<'gc>, v: Value<'gc>) -> Vec<Table<'gc>> {
    let mut tables = Vec::new();
    let mut current = v;
    for _ in 0..MAX_INDEX_CHAIN {
        if let Value::Table(t) = current {
            if tables.iter().any(|s: &Table| s.as_ptr() == t.as_ptr()) {
                break;
            }
            tables.push(t);
        }
        let Some(mt) = ctx.metatable(current) else {
            break;
        };
        match mt.get(ctx.str("__index")) {
            next @ Value::Table(_) => current = next,
            _ => break,
        }
    }
    tables
}

fn collect_keys(table: Table<'_>, prefix: &str, functions_only: bool, names: &mut Vec<String>) {
    let mut key = Value::Nil;
    while let Ok(Some((k, v))) = table.next(key) {
        key = k;
        if functions_only && !v.is_function() {
            continue;
        }
        if let Value::String(s) = k {
            let bytes = s.as_bytes();
            if bytes.starts_with(prefix.as_bytes()) && is_identifier(bytes) {
                if let Ok(name) = std::str::from_utf8(bytes) {
                    names.push(name.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lua: &Lua, line: &str) -> Vec<String> {
        complete(lua, line, line.len()).1
    }

    #[test]
    fn globals_keywords_fields_methods() {
        let mut lua = Lua::new();
        lua.exec(
            b"t = {alpha = 1, beta = {gamma = 2}, [1] = 3, ['not id'] = 4}
              Class = {} Class.__index = Class function Class.speak() end
              obj = setmetatable({name = 'x'}, Class)",
            b"=test",
            &[],
        )
        .unwrap();
        assert_eq!(names(&lua, "string.fo"), vec!["format"]);
        assert_eq!(complete(&lua, "x = string.fo", 13).0, 11);
        assert_eq!(names(&lua, "t."), vec!["alpha", "beta"]);
        assert_eq!(names(&lua, "print(t.beta.g"), vec!["gamma"]);
        assert_eq!(names(&lua, "obj."), vec!["__index", "name", "speak"]);
        assert_eq!(names(&lua, "obj:"), vec!["speak"]);
        assert_eq!(names(&lua, "('x'):up"), Vec::<String>::new());
        assert!(names(&lua, "pri").contains(&"print".to_string()));
        assert_eq!(names(&lua, "whi"), vec!["while"]);
        assert_eq!(names(&lua, "nosuch.x"), Vec::<String>::new());
        assert_eq!(names(&lua, "t.alpha."), Vec::<String>::new());
    }

    #[test]
    fn string_methods_through_metatable() {
        let mut lua = Lua::new();
        lua.exec(b"s = 'text'", b"=test", &[]).unwrap();
        assert_eq!(names(&lua, "s:up"), vec!["upper"]);
    }
}
