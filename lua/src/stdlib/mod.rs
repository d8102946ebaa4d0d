//! The standard library, written against the callback API ([`crate::callback`]).

pub mod args;
pub mod base;
pub mod coroutine;
pub mod debug;
pub mod io;
pub mod math;
pub mod os;
pub mod output;
pub mod package;
pub mod redis;
pub mod string;
pub mod table;

use crate::callback::NativeFn;
use crate::function::NativeClosure;
use crate::table::Table;
use crate::vm::Ctx;

/// Opens every library into the globals.
pub fn open_all(ctx: Ctx<'_>) {
    base::open(ctx);
    package::open(ctx);
    table::open(ctx);
    io::open(ctx);
    os::open(ctx);
    string::open(ctx);
    math::open(ctx);
    debug::open(ctx);
    coroutine::open(ctx);
    package::register_libraries(ctx);
}

/// Stores native functions in `table` under their names.
pub fn register<'gc>(ctx: Ctx<'gc>, table: Table<'gc>, functions: &[(&'static str, NativeFn)]) {
    for &(name, func) in functions {
        let f = NativeClosure::function(ctx.mc, name, func, Vec::new());
        let _ = table.set(ctx.mc, ctx.str(name), f);
    }
}

/// The C library's `strerror` text for an I/O error (`No such file or directory`).
pub fn os_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
