//! The `os` library (`loslib.c`): processes, environment, files, time and locale.
//!
//! Key design decision: no libc. Processes use `std::process` (`os.execute` returns the raw
//! `system()` wait status, e.g. 768 for `exit 3`), file errors carry `strerror` text and the errno
//! from `std::io::Error`, CPU time comes from `/proc/self/schedstat`, dates and times from
//! [`crate::text::strftime`] (in [`date`]), and the locale is an emulation of glibc's C-locale
//! family (in [`locale`]).

mod date;
mod locale;

use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;

use crate::callback::{Action, NativeError, NativeResult, Stack};
use crate::table::Table;
use crate::value::Value;
use crate::vm::Ctx;

use super::args::*;
use super::{os_error_text, register};

/// Installs the library.
pub fn open(ctx: Ctx<'_>) {
    let t = Table::new(ctx.mc);
    register(
        ctx,
        t,
        &[
            ("clock", date::clock),
            ("date", date::date),
            ("difftime", date::difftime),
            ("execute", execute),
            ("exit", exit),
            ("getenv", getenv),
            ("remove", remove),
            ("rename", rename),
            ("setlocale", locale::setlocale),
            ("time", date::time),
            ("tmpname", tmpname),
        ],
    );
    let _ = ctx.globals().set(ctx.mc, ctx.str("os"), Value::Table(t));
}

/// A path argument as the OS sees it.
fn path_of(bytes: &[u8]) -> &std::path::Path {
    std::path::Path::new(std::ffi::OsStr::from_bytes(bytes))
}

/// `os_pushresult`: `true`, or `nil, "name: strerror", errno`.
fn push_result<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    result: std::io::Result<()>,
    name: &[u8],
) -> NativeResult<'gc> {
    match result {
        Ok(()) => stack.replace(&[Value::Boolean(true)]),
        Err(e) => {
            let mut message = name.to_vec();
            message.extend_from_slice(b": ");
            message.extend_from_slice(os_error_text(&e).as_bytes());
            let errno = f64::from(e.raw_os_error().unwrap_or(0));
            stack.replace(&[Value::Nil, ctx.str(message), Value::Number(errno)]);
        }
    }
    Ok(Action::Return)
}

/// Linux's `EISDIR`, which `unlink` reports for a directory.
const EISDIR: i32 = 21;

/// C's `remove`: unlinks a file, or removes an empty directory.
fn remove_path(path: &std::path::Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.raw_os_error() == Some(EISDIR) => std::fs::remove_dir(path),
        other => other,
    }
}

fn remove<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let result = remove_path(path_of(name.as_bytes()));
    push_result(ctx, stack, result, name.as_bytes())
}

fn rename<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let from = check_string(ctx, stack, 0)?;
    let to = check_string(ctx, stack, 1)?;
    let result = std::fs::rename(path_of(from.as_bytes()), path_of(to.as_bytes()));
    push_result(ctx, stack, result, from.as_bytes())
}

fn getenv<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let bytes = name.as_bytes();
    let value = if bytes.is_empty() || bytes.contains(&b'=') || bytes.contains(&0) {
        None
    } else {
        std::env::var_os(std::ffi::OsStr::from_bytes(bytes))
    };
    let result = value.map_or(Value::Nil, |v| ctx.str(v.as_bytes()));
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// C's `system(cmd)`: the raw wait status of `/bin/sh -c cmd` (127 << 8 if the shell cannot run).
fn system(command: &[u8]) -> i32 {
    std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(std::ffi::OsStr::from_bytes(command))
        .status()
        .map_or(127 << 8, |s| s.into_raw())
}

fn execute<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let status = match opt_string(ctx, stack, 0)? {
        Some(command) => system(command.as_bytes()),
        None => i32::from(std::path::Path::new("/bin/sh").exists()),
    };
    stack.replace(&[Value::Number(f64::from(status))]);
    Ok(Action::Return)
}

fn exit<'gc>(_ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let code = opt_integer(stack, 0, 0)? as i32;
    super::io::flush_all();
    std::process::exit(code)
}

/// Letters `mkstemp` fills its `XXXXXX` with.
const TEMP_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `mkstemp("/tmp/lua_XXXXXX")`: creates a new empty file and returns its name.
fn make_temp_file() -> Option<String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut x = nanos ^ (u64::from(std::process::id()) << 32) | 1;
    for _ in 0..100 {
        let mut name = String::from("/tmp/lua_");
        for _ in 0..6 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            name.push(TEMP_CHARS[(x % TEMP_CHARS.len() as u64) as usize] as char);
        }
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&name);
        match created {
            Ok(_) => return Some(name),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

fn tmpname<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = make_temp_file()
        .ok_or_else(|| NativeError::runtime("unable to generate a unique filename"))?;
    stack.replace(&[ctx.str(name)]);
    Ok(Action::Return)
}
