//! A scripting Lua state set up the way Redis 7.0 sets up its own: the `base table string math`
//! libraries (with `coroutine`, which 5.1's base opens) plus `cjson cmsgpack bit struct`, the
//! `redis` table, Redis's `pcall` and `math.random`, no `io os package debug print loadfile dofile
//! require module setfenv getfenv newproxy`, binary chunks refused, and every table reachable from
//! the globals read-only with an `__index` that rejects undeclared globals. Key decision: compiled
//! functions stay in the arena, held from outside through [`Handle`]s in the state's
//! `DynamicRootSet`, so running a cached script costs no compilation and no re-instantiation.

use super::lib;
use ferrous_lua::lua::{load_function, results};
use ferrous_lua::stdlib::redis::{open_redis_libs, set_readonly_recursively};
use ferrous_lua::table::Table;
use ferrous_lua::vm::Ctx;
use ferrous_lua::{Lua, Value};
use gc_arena::{DynamicRoot, Gc, Rootable};

/// A Lua value kept alive outside the arena (a compiled function, the error handler).
pub type Handle = DynamicRoot<Rootable![Value<'_>]>;

/// Redis's error handler (`__redis__err__handler`): turns any error into an `{err=...}` table and
/// records where it was raised (the caller of a C function such as `error` or `redis.call`).
const ERROR_HANDLER: &[u8] = b"local dbg = debug
return function(err)
  local i = dbg.getinfo(2,'nSl')
  if i and i.what == 'C' then
    i = dbg.getinfo(3,'nSl')
  end
  if type(err) ~= 'table' then
    err = {err='ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end
";

/// Globals Redis's scripting state does not have.
const REMOVED_GLOBALS: &[&str] = &[
    "io", "os", "package", "debug", "print", "loadfile", "dofile", "require", "module", "setfenv",
    "getfenv", "newproxy",
];

/// A sandboxed Lua state for scripts (EVAL) or function libraries (FUNCTION LOAD).
pub struct Engine {
    /// The interpreter.
    pub lua: Lua,
    /// The error handler every script call runs under.
    pub handler: Handle,
    /// What the next run reuses (made by the first run).
    pub reused: Option<super::run::Reused>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// A fresh state (the same for scripts and function libraries: the library loader swaps in
    /// its own `redis` table while loading).
    pub fn new() -> Engine {
        let mut lua = Lua::new();
        lua.mutate(open_redis_libs);
        let handler = make_handler(&mut lua);
        lua.mutate(sandbox);
        Engine {
            lua,
            handler,
            reused: None,
        }
    }

    /// Stashes `v` so it outlives this `mutate`.
    pub fn stash<'gc>(ctx: Ctx<'gc>, v: Value<'gc>) -> Handle {
        ctx.state
            .roots
            .stash::<Rootable![Value<'_>]>(ctx.mc, Gc::new(ctx.mc, v))
    }

    /// The value behind a handle of this state (`nil` for a handle of another state).
    pub fn fetch<'gc>(ctx: Ctx<'gc>, h: &Handle) -> Value<'gc> {
        ctx.state.roots.try_fetch(h).map_or(Value::Nil, |v| *v)
    }

    /// Compiles `source` as chunk `chunkname` into a function whose environment is the globals.
    pub fn compile(&mut self, source: &[u8], chunkname: &[u8]) -> Result<Handle, String> {
        let proto = ferrous_lua::compiler::compile(source, chunkname)
            .map_err(|e| String::from_utf8_lossy(&e.message).into_owned())?;
        let proto = std::rc::Rc::new(proto);
        Ok(self
            .lua
            .mutate(|ctx| Self::stash(ctx, load_function(ctx, &proto))))
    }
}

fn make_handler(lua: &mut Lua) -> Handle {
    let compiled = Lua::compile(ERROR_HANDLER, b"=redis_error_handler");
    if let Ok(proto) = compiled {
        let made = lua.call(|ctx| (load_function(ctx, &proto), Vec::new()));
        if made.is_ok() {
            return lua.mutate(|ctx| {
                let f = results(ctx).first().copied().unwrap_or_default();
                Engine::stash(ctx, f)
            });
        }
    }
    lua.mutate(|ctx| Engine::stash(ctx, Value::Nil))
}

fn sandbox(ctx: Ctx<'_>) {
    let g = ctx.globals();
    for name in REMOVED_GLOBALS {
        let _ = g.set(ctx.mc, ctx.str(name), Value::Nil);
    }
    lib::open(ctx);
    ctx.state.bytecode_allowed.set(false);
    let mt = Table::new(ctx.mc);
    ferrous_lua::stdlib::register(ctx, mt, &[("__index", lib::undeclared_global)]);
    g.set_metatable(ctx, Some(mt));
    set_readonly_recursively(ctx, g);
}

/// Sets global `name` to `value` although the globals are read-only (KEYS and ARGV).
pub fn set_protected_global<'gc>(ctx: Ctx<'gc>, name: &str, value: Value<'gc>) {
    let g = ctx.globals();
    g.set_readonly(ctx.mc, false);
    let _ = g.set(ctx.mc, ctx.str(name), value);
    g.set_readonly(ctx.mc, true);
}
