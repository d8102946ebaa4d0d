//! The four C libraries Redis 7.0 embeds in its scripting state, rewritten on the callback API
//! with the behaviour of the versions Redis ships: [`cjson`] (lua-cjson 2.1.0), [`cmsgpack`]
//! (lua-cmsgpack 0.4.0), [`bit`] (LuaBitOp 1.0.2) and [`structlib`] (Roberto Ierusalimschy's
//! `struct` 0.2).
//!
//! Key design decision: none of them runs Lua code (they read tables raw, as their C versions
//! do), so every function completes in one native call; the recursive C encoders and decoders
//! become loops over explicit stacks, and the limits C hits through `lua_checkstack` (the 8000
//! slots a C function may use) are reproduced by counting the slots the C code would hold, so
//! deep nesting fails with the same message at the same depth instead of overflowing Rust's stack.

pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod structlib;

use crate::table::Table;
use crate::value::Value;
use crate::vm::Ctx;

/// `LUAI_MAXCSTACK`: the stack slots a C function may use; `lua_checkstack` fails beyond.
pub(crate) const MAX_C_STACK: usize = 8000;

/// Installs the global tables `cjson`, `cmsgpack`, `bit` and `struct`, as Redis does when it
/// creates its scripting state. Not part of [`super::open_all`]: only the Redis-compatible server
/// calls it.
pub fn open_redis_libs(ctx: Ctx<'_>) {
    let libs = [
        ("cjson", cjson::module(ctx)),
        ("cmsgpack", cmsgpack::module(ctx)),
        ("bit", bit::module(ctx)),
        ("struct", structlib::module(ctx)),
    ];
    for (name, table) in libs {
        let _ = ctx
            .globals()
            .set(ctx.mc, ctx.str(name), Value::Table(table));
    }
}

/// A table holding `fields` (string keys).
pub(crate) fn table_with<'gc>(ctx: Ctx<'gc>, fields: &[(&str, Value<'gc>)]) -> Table<'gc> {
    let t = Table::new(ctx.mc);
    for &(name, value) in fields {
        let _ = t.set(ctx.mc, ctx.str(name), value);
    }
    t
}

/// Marks `root` and every table reachable from it (through keys, values and metatables)
/// read-only, as Redis's `luaSetTableProtectionRecursively` does to the globals; tables already
/// read-only are not entered again.
pub fn set_readonly_recursively<'gc>(ctx: Ctx<'gc>, root: Table<'gc>) {
    let mut pending = vec![root];
    while let Some(t) = pending.pop() {
        if t.is_readonly() {
            continue;
        }
        t.set_readonly(ctx.mc, true);
        let mut key = Value::Nil;
        while let Ok(Some((k, v))) = t.next(key) {
            for x in [k, v] {
                if let Value::Table(inner) = x {
                    pending.push(inner);
                }
            }
            key = k;
        }
        pending.extend(t.metatable());
    }
}
