//! The `package` library (`loadlib.c` of 5.1.5): `require`, `module`, `package.loaders`,
//! `package.path`, `package.seeall`, `package.loadlib`.
//!
//! Key design decisions: `require` calls each loader and then the module's chunk through call
//! actions with continuations (its progress lives in its window), so loaders and modules are
//! ordinary Lua calls that may error or yield. The functions that 5.1 gives the package table as
//! environment get it as an upvalue instead. Native (C) modules cannot be loaded: `loadlib` and
//! the C searchers behave as 5.1 built without dynamic-library support, answering
//! `dynamic libraries not enabled; check your Lua installation` (with `"absent"` from `loadlib`).

use gc_arena::Gc;

use crate::callback::{Action, Continuation, NativeError, NativeFn, NativeResult, Stack};
use crate::function::{LuaClosure, NativeClosure};
use crate::lua::load_function;
use crate::string::LuaString;
use crate::table::Table;
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::frame::Frame;
use crate::vm::{ops, Ctx};

use super::args::*;
use super::register;

/// 5.1's `LUA_PATH_DEFAULT` as Debian builds it.
const PATH_DEFAULT: &str = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;/usr/local/lib/lua/5.1/?.lua;/usr/local/lib/lua/5.1/?/init.lua;/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua";

/// 5.1's `LUA_CPATH_DEFAULT` as Debian builds it.
const CPATH_DEFAULT: &str = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/lib/x86_64-linux-gnu/lua/5.1/?.so;/usr/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so";

/// What loading a native library answers (5.1's `DLMSG`).
const NO_DYNAMIC_LIBRARIES: &str = "dynamic libraries not enabled; check your Lua installation";

/// The standard library tables `package.loaded` lists.
const STANDARD_LIBRARIES: [&str; 8] = [
    "coroutine",
    "debug",
    "io",
    "math",
    "os",
    "package",
    "string",
    "table",
];

/// Installs the library: the `package` table and the globals `require` and `module`.
pub fn open<'gc>(ctx: Ctx<'gc>) {
    let package = Table::new(ctx.mc);
    let loaded = Table::new(ctx.mc);
    let set = |t: Table<'gc>, name: &str, v: Value<'gc>| {
        let _ = t.set(ctx.mc, ctx.str(name), v);
    };
    register(ctx, package, &[("loadlib", loadlib), ("seeall", seeall)]);
    let loaders = Table::new(ctx.mc);
    let searchers: [(&'static str, NativeFn); 4] = [
        ("loader_preload", loader_preload),
        ("loader_Lua", loader_lua),
        ("loader_C", loader_c),
        ("loader_Croot", loader_croot),
    ];
    for (i, (name, func)) in searchers.into_iter().enumerate() {
        let f = NativeClosure::function(ctx.mc, name, func, vec![Value::Table(package)]);
        loaders.set_int(ctx.mc, i as i64 + 1, f);
    }
    set(package, "loaders", Value::Table(loaders));
    set(
        package,
        "path",
        ctx.str(path_setting("LUA_PATH", PATH_DEFAULT)),
    );
    set(
        package,
        "cpath",
        ctx.str(path_setting("LUA_CPATH", CPATH_DEFAULT)),
    );
    set(package, "config", ctx.str("/\n;\n?\n!\n-"));
    set(package, "loaded", Value::Table(loaded));
    set(package, "preload", Value::Table(Table::new(ctx.mc)));
    set(ctx.state.registry, "_LOADED", Value::Table(loaded));
    let sentinel = Value::UserData(UserData::new(ctx.mc, Box::new(())));
    let g = ctx.globals();
    let require_fn = NativeClosure::function(
        ctx.mc,
        "require",
        require,
        vec![Value::Table(package), Value::Table(loaded), sentinel],
    );
    set(g, "require", require_fn);
    set(
        g,
        "module",
        NativeClosure::function(ctx.mc, "module", module, vec![Value::Table(loaded)]),
    );
    set(g, "package", Value::Table(package));
}

/// Records the standard libraries (and `_G`) in `package.loaded`; runs after they are all open.
pub fn register_libraries(ctx: Ctx<'_>) {
    let Value::Table(loaded) = ctx.state.registry.get(ctx.str("_LOADED")) else {
        return;
    };
    let g = ctx.globals();
    let _ = loaded.set(ctx.mc, ctx.str("_G"), Value::Table(g));
    for name in STANDARD_LIBRARIES {
        let lib = g.get(ctx.str(name));
        if let Value::Table(_) = lib {
            let _ = loaded.set(ctx.mc, ctx.str(name), lib);
        }
    }
}

/// A path from the environment variable `var` (`;;` standing for `default`), or `default`.
fn path_setting(var: &str, default: &str) -> String {
    match std::env::var(var) {
        Ok(value) => value.replace(";;", ";\u{1};").replace('\u{1}', default),
        Err(_) => default.to_string(),
    }
}

/// The upvalue tables of a package function.
fn upvalue_table<'gc>(stack: &Stack<'gc, '_>, i: usize) -> Table<'gc> {
    match stack.upvalues().get(i) {
        Some(Value::Table(t)) => *t,
        _ => unreachable!("package functions are created with their tables"),
    }
}

/// Window layout of `require` while it runs the loaders: the name, the loaders table, the
/// accumulated "not found" message, the index of the loader being called, `package.loaded` and
/// the sentinel marking a module being loaded.
const REQ_NAME: usize = 0;
const REQ_LOADERS: usize = 1;
const REQ_MESSAGE: usize = 2;
const REQ_INDEX: usize = 3;
const REQ_LOADED: usize = 4;
const REQ_SENTINEL: usize = 5;
const REQ_KEPT: usize = 6;

fn require<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let package = upvalue_table(stack, 0);
    let loaded = upvalue_table(stack, 1);
    let sentinel = stack.upvalues()[2];
    let current = loaded.get(Value::String(name));
    if current.is_truthy() {
        if current.raw_equal(sentinel) {
            return Err(NativeError::runtime(format!(
                "loop or previous error loading module '{}'",
                name.to_str_lossy()
            )));
        }
        stack.replace(&[current]);
        return Ok(Action::Return);
    }
    let loaders = package.get(ctx.str("loaders"));
    if !matches!(loaders, Value::Table(_)) {
        return Err(NativeError::runtime("'package.loaders' must be a table"));
    }
    stack.replace(&[
        Value::String(name),
        loaders,
        ctx.str(""),
        Value::Number(0.0),
        Value::Table(loaded),
        sentinel,
    ]);
    call_next_loader(stack)
}

/// Calls the next loader with the module name, or fails with the accumulated message.
fn call_next_loader<'gc>(stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    stack.resize(REQ_KEPT);
    let index = match stack.get(REQ_INDEX) {
        Value::Number(n) => n + 1.0,
        _ => 1.0,
    };
    stack.set(REQ_INDEX, Value::Number(index));
    let Value::Table(loaders) = stack.get(REQ_LOADERS) else {
        unreachable!("require keeps its loaders table");
    };
    let loader = loaders.get_int(index as i64);
    if loader.is_nil() {
        let mut message = b"module '".to_vec();
        ops::append_string(stack.get(REQ_NAME), &mut message);
        message.extend_from_slice(b"' not found:");
        ops::append_string(stack.get(REQ_MESSAGE), &mut message);
        return Err(NativeError::runtime(message));
    }
    stack.push(stack.get(REQ_NAME));
    Ok(Action::Call {
        function: loader,
        keep: REQ_KEPT,
        then: Some(Continuation::new(loader_returned, Value::Nil)),
    })
}

/// A loader's answer: a function (the module's loader: run it), a message (accumulate it) or
/// anything else (ignored).
fn loader_returned<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let answer = stack.get(REQ_KEPT);
    match answer {
        Value::LuaFunction(_) | Value::NativeFunction(_) => {
            let name = stack.get(REQ_NAME);
            let loaded = stack.get(REQ_LOADED);
            let sentinel = stack.get(REQ_SENTINEL);
            if let Value::Table(t) = loaded {
                let _ = t.set(ctx.mc, name, sentinel);
            }
            stack.replace(&[name, loaded, sentinel, name]);
            Ok(Action::Call {
                function: answer,
                keep: 3,
                then: Some(Continuation::new(module_returned, Value::Nil)),
            })
        }
        Value::String(_) | Value::Number(_) => {
            let mut message = Vec::new();
            ops::append_string(stack.get(REQ_MESSAGE), &mut message);
            ops::append_string(answer, &mut message);
            stack.set(REQ_MESSAGE, ctx.str(message));
            call_next_loader(stack)
        }
        _ => call_next_loader(stack),
    }
}

/// The module ran: its result (or what it stored, or `true`) becomes `package.loaded[name]`.
fn module_returned<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    _: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let (name, sentinel, result) = (stack.get(0), stack.get(2), stack.get(3));
    let Value::Table(loaded) = stack.get(1) else {
        unreachable!("require keeps package.loaded");
    };
    if !result.is_nil() {
        let _ = loaded.set(ctx.mc, name, result);
    }
    let mut value = loaded.get(name);
    if value.raw_equal(sentinel) {
        value = Value::Boolean(true);
        let _ = loaded.set(ctx.mc, name, value);
    }
    stack.replace(&[value]);
    Ok(Action::Return)
}

fn loader_preload<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let package = upvalue_table(stack, 0);
    let Value::Table(preload) = package.get(ctx.str("preload")) else {
        return Err(NativeError::runtime("'package.preload' must be a table"));
    };
    let found = preload.get(Value::String(name));
    let result = if found.is_nil() {
        let mut message = b"\n\tno field package.preload['".to_vec();
        message.extend_from_slice(name.as_bytes());
        message.extend_from_slice(b"']");
        ctx.str(message)
    } else {
        found
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// Searches `package[field]` for `name` (dots become slashes): the first readable file, or the
/// "no file" lines of every candidate.
fn find_file<'gc>(
    ctx: Ctx<'gc>,
    package: Table<'gc>,
    name: &[u8],
    field: &str,
) -> Result<Result<Vec<u8>, Vec<u8>>, NativeError<'gc>> {
    let path = match package.get(ctx.str(field)) {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Number(n) => ops::number_to_string(ctx, n).as_bytes().to_vec(),
        _ => {
            return Err(NativeError::runtime(format!(
                "'package.{field}' must be a string"
            )))
        }
    };
    let name: Vec<u8> = name
        .iter()
        .map(|&c| if c == b'.' { b'/' } else { c })
        .collect();
    let mut tried = Vec::new();
    for template in path.split(|&c| c == b';').filter(|t| !t.is_empty()) {
        let mut filename = Vec::new();
        for &c in template {
            if c == b'?' {
                filename.extend_from_slice(&name);
            } else {
                filename.push(c);
            }
        }
        if readable(&filename) {
            return Ok(Ok(filename));
        }
        tried.extend_from_slice(b"\n\tno file '");
        tried.extend_from_slice(&filename);
        tried.push(b'\'');
    }
    Ok(Err(tried))
}

fn readable(filename: &[u8]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let end = filename
        .iter()
        .position(|&c| c == 0)
        .unwrap_or(filename.len());
    std::fs::File::open(std::ffi::OsStr::from_bytes(&filename[..end])).is_ok()
}

/// `error loading module 'name' from file 'filename':\n\treason`.
fn load_error<'gc>(name: &[u8], filename: &[u8], reason: &[u8]) -> NativeError<'gc> {
    let mut message = b"error loading module '".to_vec();
    message.extend_from_slice(name);
    message.extend_from_slice(b"' from file '");
    message.extend_from_slice(filename);
    message.extend_from_slice(b"':\n\t");
    message.extend_from_slice(reason);
    NativeError::runtime(message)
}

fn loader_lua<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let package = upvalue_table(stack, 0);
    let filename = match find_file(ctx, package, name.as_bytes(), "path")? {
        Ok(f) => f,
        Err(tried) => {
            stack.replace(&[ctx.str(tried)]);
            return Ok(Action::Return);
        }
    };
    let (source, chunkname) = super::base::read_source_file(Some(&filename))
        .map_err(|e| load_error(name.as_bytes(), &filename, e.as_bytes()))?;
    let proto = crate::compiler::compile(&source, &chunkname)
        .map_err(|e| load_error(name.as_bytes(), &filename, &e.message))?;
    let f = load_function(ctx, &std::rc::Rc::new(proto));
    stack.replace(&[f]);
    Ok(Action::Return)
}

fn loader_c<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let package = upvalue_table(stack, 0);
    match find_file(ctx, package, name.as_bytes(), "cpath")? {
        Ok(filename) => Err(load_error(
            name.as_bytes(),
            &filename,
            NO_DYNAMIC_LIBRARIES.as_bytes(),
        )),
        Err(tried) => {
            stack.replace(&[ctx.str(tried)]);
            Ok(Action::Return)
        }
    }
}

/// The all-in-one C searcher: looks for the root of a dotted name in `package.cpath`.
fn loader_croot<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let Some(dot) = name.as_bytes().iter().position(|&c| c == b'.') else {
        stack.clear();
        return Ok(Action::Return);
    };
    let package = upvalue_table(stack, 0);
    let root = &name.as_bytes()[..dot];
    match find_file(ctx, package, root, "cpath")? {
        Ok(filename) => Err(load_error(
            name.as_bytes(),
            &filename,
            NO_DYNAMIC_LIBRARIES.as_bytes(),
        )),
        Err(tried) => {
            stack.replace(&[ctx.str(tried)]);
            Ok(Action::Return)
        }
    }
}

fn loadlib<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    check_string(ctx, stack, 0)?;
    check_string(ctx, stack, 1)?;
    stack.replace(&[Value::Nil, ctx.str(NO_DYNAMIC_LIBRARIES), ctx.str("absent")]);
    Ok(Action::Return)
}

fn seeall<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let t = check_table(stack, 0)?;
    let mt = match t.metatable() {
        Some(mt) => mt,
        None => {
            let mt = Table::new(ctx.mc);
            t.set_metatable(ctx, Some(mt));
            mt
        }
    };
    let _ = mt.set(ctx.mc, ctx.str("__index"), Value::Table(ctx.globals()));
    stack.clear();
    Ok(Action::Return)
}

/// `luaL_findtable` on the globals: the table at the dotted `name`, creating missing levels;
/// `Err` when a level holds something other than a table.
fn find_global_table<'gc>(ctx: Ctx<'gc>, name: &[u8]) -> Result<Table<'gc>, ()> {
    let mut t = ctx.globals();
    for part in name.split(|&c| c == b'.') {
        let key = ctx.str(part);
        t = match t.get(key) {
            Value::Nil => {
                let new = Table::new(ctx.mc);
                let _ = t.set(ctx.mc, key, Value::Table(new));
                new
            }
            Value::Table(next) => next,
            _ => return Err(()),
        };
    }
    Ok(t)
}

/// Sets `_M`, `_NAME` and `_PACKAGE` of a new module table.
fn init_module<'gc>(ctx: Ctx<'gc>, module: Table<'gc>, name: LuaString<'gc>) {
    let bytes = name.as_bytes();
    let package_end = bytes.iter().rposition(|&c| c == b'.').map_or(0, |i| i + 1);
    let set = |k: &str, v: Value<'gc>| {
        let _ = module.set(ctx.mc, ctx.str(k), v);
    };
    set("_M", Value::Table(module));
    set("_NAME", Value::String(name));
    set("_PACKAGE", ctx.str(&bytes[..package_end]));
}

fn module<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let loaded = upvalue_table(stack, 0);
    let module = match loaded.get(Value::String(name)) {
        Value::Table(t) => t,
        _ => {
            let t = find_global_table(ctx, name.as_bytes()).map_err(|()| {
                NativeError::runtime(format!(
                    "name conflict for module '{}'",
                    name.to_str_lossy()
                ))
            })?;
            let _ = loaded.set(ctx.mc, Value::String(name), Value::Table(t));
            t
        }
    };
    if module.get(ctx.str("_NAME")).is_nil() {
        init_module(ctx, module, name);
    }
    set_caller_env(ctx, stack, module)?;
    let options = stack.len() - 1;
    stack.set(0, Value::Table(module));
    stack.insert(1, Value::Number(options as f64));
    apply_options(stack, 0)
}

/// Makes `module` the environment of the Lua function that called `module`.
fn set_caller_env<'gc>(
    ctx: Ctx<'gc>,
    stack: &Stack<'gc, '_>,
    module: Table<'gc>,
) -> Result<(), NativeError<'gc>> {
    let frames = stack.frames();
    let caller = frames.len().checked_sub(2).map(|i| &frames[i]);
    match caller {
        Some(Frame::Lua(f)) => {
            gc_arena::barrier::unlock!(Gc::write(ctx.mc, f.closure), LuaClosure, env).set(module);
            Ok(())
        }
        _ => Err(NativeError::runtime(
            "'module' not called from a Lua function",
        )),
    }
}

/// The options count stored at window index 1 by `module`.
fn option_count(stack: &Stack<'_, '_>) -> usize {
    match stack.get(1) {
        Value::Number(n) => n as usize,
        _ => 0,
    }
}

/// Calls option `done + 1` with the module; the window holds the module, the options count and
/// the options.
fn apply_options<'gc>(stack: &mut Stack<'gc, '_>, done: usize) -> NativeResult<'gc> {
    let options = option_count(stack);
    if done >= options {
        stack.clear();
        return Ok(Action::Return);
    }
    let option = stack.get(2 + done);
    stack.resize(2 + options);
    stack.push(stack.get(0));
    Ok(Action::Call {
        function: option,
        keep: 2 + options,
        then: Some(Continuation::new(
            option_applied,
            Value::Number((done + 1) as f64),
        )),
    })
}

fn option_applied<'gc>(
    _ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    state: Value<'gc>,
    _: Result<(), Value<'gc>>,
) -> NativeResult<'gc> {
    let done = match state {
        Value::Number(n) => n as usize,
        _ => 0,
    };
    let kept = 2 + option_count(stack);
    stack.resize(kept);
    apply_options(stack, done)
}
