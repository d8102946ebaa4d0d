//! The `io` library (`liolib.c` of 5.1.5): `io.open`, `io.read`, `io.lines`, `io.popen`... and
//! the methods of file handles.
//!
//! A file handle is a userdata whose payload is a [`Handle`] — a shared, optional [`Stream`]
//! (`None` once closed) — and whose metatable is the `FILE*` metatable (also in the registry under
//! that name, as 5.1 keeps it). The current input and output files live in a private table (5.1's
//! environment of the io functions, indices 1 and 2) passed to every io function as an upvalue
//! with the metatable. Open streams are also listed (weakly) so [`flush_all`] can write them out
//! before a process exits or a `popen` child starts, like C's `fflush(NULL)`.

mod stream;

use std::cell::RefCell;
use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};
use std::rc::{Rc, Weak};

use crate::callback::{Action, NativeError, NativeFn, NativeResult, Stack};
use crate::function::NativeClosure;
use crate::stdlib::output::Buffering;
use crate::table::Table;
use crate::text::number::format_number;
use crate::userdata::UserData;
use crate::value::Value;
use crate::vm::Ctx;

use self::stream::{Kind, Stream};
use super::args::*;
use super::{os_error_text, output};

/// A stream shared by a handle and the list of open streams; `None` once closed.
type Shared = Rc<RefCell<Option<Stream>>>;

/// The payload of a file handle.
struct Handle(Shared);

thread_local! {
    static OPEN: RefCell<Vec<Weak<RefCell<Option<Stream>>>>> = const { RefCell::new(Vec::new()) };
}

/// Index of the current input file in the io functions' private table.
const INPUT: i64 = 1;
/// Index of the current output file.
const OUTPUT: i64 = 2;

/// Writes out standard output and every open file (`fflush(NULL)`); `os.exit` should call it.
pub fn flush_all() {
    output::flush();
    OPEN.with(|open| {
        for weak in open.borrow().iter() {
            if let Some(shared) = weak.upgrade() {
                if let Ok(mut s) = shared.try_borrow_mut() {
                    if let Some(s) = s.as_mut() {
                        let _ = s.flush();
                    }
                }
            }
        }
    });
}

/// Installs the library.
pub fn open<'gc>(ctx: Ctx<'gc>) {
    let meta = Table::new(ctx.mc);
    let _ = meta.set(ctx.mc, ctx.str("__index"), Value::Table(meta));
    let methods: [(&'static str, NativeFn); 9] = [
        ("close", io_close),
        ("flush", f_flush),
        ("lines", f_lines),
        ("read", f_read),
        ("seek", f_seek),
        ("setvbuf", f_setvbuf),
        ("write", f_write),
        ("__gc", f_gc),
        ("__tostring", f_tostring),
    ];
    let env = Table::new(ctx.mc);
    let upvalues = [Value::Table(env), Value::Table(meta)];
    for (name, func) in methods {
        let f = NativeClosure::function(ctx.mc, name, func, upvalues.to_vec());
        let _ = meta.set(ctx.mc, ctx.str(name), f);
    }
    let _ = ctx
        .state
        .registry
        .set(ctx.mc, ctx.str("FILE*"), Value::Table(meta));
    let io = Table::new(ctx.mc);
    let functions: [(&'static str, NativeFn); 11] = [
        ("close", io_close),
        ("flush", io_flush),
        ("input", io_input),
        ("lines", io_lines),
        ("open", io_open),
        ("output", io_output),
        ("popen", io_popen),
        ("read", io_read),
        ("tmpfile", io_tmpfile),
        ("type", io_type),
        ("write", io_write),
    ];
    for (name, func) in functions {
        let f = NativeClosure::function(ctx.mc, name, func, upvalues.to_vec());
        let _ = io.set(ctx.mc, ctx.str(name), f);
    }
    let std_files = [
        ("stdin", Kind::Stdin, dup(io::stdin().as_fd()), true, false),
        (
            "stdout",
            Kind::Stdout,
            dup(io::stdout().as_fd()),
            false,
            true,
        ),
        (
            "stderr",
            Kind::Stderr,
            dup(io::stderr().as_fd()),
            false,
            true,
        ),
    ];
    for (i, (name, kind, file, readable, writable)) in std_files.into_iter().enumerate() {
        let handle = new_file(ctx, meta, Stream::new(kind, file, readable, writable));
        if i < 2 {
            env.set_int(ctx.mc, i as i64 + 1, handle);
        }
        let _ = io.set(ctx.mc, ctx.str(name), handle);
    }
    let _ = ctx.globals().set(ctx.mc, ctx.str("io"), Value::Table(io));
}

/// A descriptor of our own for a standard stream (sharing its position).
fn dup(fd: std::os::fd::BorrowedFd<'_>) -> Option<File> {
    fd.try_clone_to_owned().ok().map(File::from)
}

fn new_file<'gc>(ctx: Ctx<'gc>, meta: Table<'gc>, stream: Stream) -> Value<'gc> {
    let shared: Shared = Rc::new(RefCell::new(Some(stream)));
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        open.retain(|w| w.strong_count() > 0);
        open.push(Rc::downgrade(&shared));
    });
    let ud = UserData::new(ctx.mc, Box::new(Handle(shared)));
    ud.set_metatable(ctx, Some(meta));
    Value::UserData(ud)
}

/// The upvalues every io function has: the private table and the `FILE*` metatable.
fn env_and_meta<'gc>(stack: &Stack<'gc, '_>) -> (Table<'gc>, Table<'gc>) {
    match stack.upvalues() {
        [Value::Table(env), Value::Table(meta), ..] => (*env, *meta),
        _ => unreachable!("io functions are created with their tables"),
    }
}

/// The stream of `v` if it is a file handle (open or closed).
fn shared_of<'gc>(v: Value<'gc>, meta: Table<'gc>) -> Option<Shared> {
    let Value::UserData(ud) = v else { return None };
    if ud.metatable() != Some(meta) {
        return None;
    }
    let payload = ud.0.payload.borrow();
    payload.downcast_ref::<Handle>().map(|h| h.0.clone())
}

/// `luaL_checkudata(L, i, "FILE*")`.
fn check_file<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, Shared> {
    let (_, meta) = env_and_meta(stack);
    shared_of(stack.get(i), meta)
        .ok_or_else(|| NativeError::type_error(i + 1, "FILE*", stack.type_name_of(i)))
}

/// 5.1's `tofile`: a handle that must still be open.
fn check_open<'gc>(stack: &Stack<'gc, '_>, i: usize) -> ArgResult<'gc, Shared> {
    let shared = check_file(stack, i)?;
    if shared.borrow().is_none() {
        return Err(NativeError::runtime("attempt to use a closed file"));
    }
    Ok(shared)
}

/// Runs `f` on an open stream (checked by the caller).
fn with_stream<R>(shared: &Shared, f: impl FnOnce(&mut Stream) -> R) -> Option<R> {
    shared.borrow_mut().as_mut().map(f)
}

/// `pushresult` for a failure: `nil, "[name: ]message", errno`.
fn push_failure<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    e: &io::Error,
    name: Option<&[u8]>,
) {
    let mut text = Vec::new();
    if let Some(name) = name {
        text.extend_from_slice(name);
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(os_error_text(e).as_bytes());
    let errno = e.raw_os_error().unwrap_or(0);
    stack.replace(&[Value::Nil, ctx.str(text), Value::Number(errno as f64)]);
}

/// `pushresult`: `true` or the failure triple.
fn push_result<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    r: io::Result<()>,
) -> NativeResult<'gc> {
    match r {
        Ok(()) => stack.replace(&[Value::Boolean(true)]),
        Err(e) => push_failure(ctx, stack, &e, None),
    }
    Ok(Action::Return)
}

/// The bytes C sees of a Lua string: up to its first NUL.
fn c_string(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&c| c == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

/// Opens a file like glibc's `fopen`: the mode starts with `r`, `w` or `a`; a `+` among the next
/// six characters adds the other direction, an `x` requires a new file; anything else is ignored.
fn open_file(name: &[u8], mode: &[u8]) -> io::Result<Stream> {
    let mode = c_string(mode);
    let flags = &mode[1.min(mode.len())..mode.len().min(7)];
    let plus = flags.contains(&b'+');
    let mut options = OpenOptions::new();
    let (readable, writable) = match mode.first() {
        Some(b'r') => (true, plus),
        Some(b'w') => {
            options.create(true).truncate(true);
            (plus, true)
        }
        Some(b'a') => {
            options.create(true).append(true);
            (plus, true)
        }
        _ => return Err(io::Error::from_raw_os_error(22)),
    };
    if flags.contains(&b'x') && mode[0] != b'r' {
        options.create_new(true);
    }
    options.read(readable).write(writable);
    let path = std::ffi::OsStr::from_bytes(c_string(name));
    let file = options.open(path)?;
    Ok(Stream::new(Kind::File, Some(file), readable, writable))
}

fn io_open<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let name = check_string(ctx, stack, 0)?;
    let mode = opt_string(ctx, stack, 1)?.map_or(&b"r"[..], |m| m.as_bytes());
    match open_file(name.as_bytes(), mode) {
        Ok(stream) => {
            let (_, meta) = env_and_meta(stack);
            let f = new_file(ctx, meta, stream);
            stack.replace(&[f]);
        }
        Err(e) => push_failure(ctx, stack, &e, Some(c_string(name.as_bytes()))),
    }
    Ok(Action::Return)
}

/// Starts `/bin/sh -c command` with a pipe to its stdout (`r`) or stdin (`w`), accepting the
/// modes glibc's `popen` accepts.
fn start_pipe(command: &[u8], mode: &[u8]) -> io::Result<Stream> {
    let mode = c_string(mode);
    let valid = mode.iter().all(|c| b"rwe".contains(c));
    let reading = mode.contains(&b'r');
    if !valid || reading == mode.contains(&b'w') {
        return Err(io::Error::from_raw_os_error(22));
    }
    flush_all();
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(std::ffi::OsStr::from_bytes(c_string(command)));
    if reading {
        cmd.stdout(Stdio::piped());
    } else {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn()?;
    let end = if reading {
        child
            .stdout
            .take()
            .map(|p| File::from(std::os::fd::OwnedFd::from(p)))
    } else {
        child
            .stdin
            .take()
            .map(|p| File::from(std::os::fd::OwnedFd::from(p)))
    };
    Ok(Stream::new(Kind::Pipe(Some(child)), end, reading, !reading))
}

fn io_popen<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let command = check_string(ctx, stack, 0)?;
    let mode = opt_string(ctx, stack, 1)?.map_or(&b"r"[..], |m| m.as_bytes());
    match start_pipe(command.as_bytes(), mode) {
        Ok(stream) => {
            let (_, meta) = env_and_meta(stack);
            let f = new_file(ctx, meta, stream);
            stack.replace(&[f]);
        }
        Err(e) => push_failure(ctx, stack, &e, Some(c_string(command.as_bytes()))),
    }
    Ok(Action::Return)
}

/// A new file opened `w+` that no name refers to (created, then unlinked).
fn temporary_file() -> io::Result<Stream> {
    let dir = std::env::temp_dir();
    let mut attempt = 0u32;
    loop {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = dir.join(format!("lua_{}_{nanos:x}_{attempt}", std::process::id()));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(file) => {
                let _ = std::fs::remove_file(&path);
                return Ok(Stream::new(Kind::File, Some(file), true, true));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

fn io_tmpfile<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    match temporary_file() {
        Ok(stream) => {
            let (_, meta) = env_and_meta(stack);
            let f = new_file(ctx, meta, stream);
            stack.replace(&[f]);
        }
        Err(e) => push_failure(ctx, stack, &e, None),
    }
    Ok(Action::Return)
}

fn io_type<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let v = check_any(stack, 0)?;
    let (_, meta) = env_and_meta(stack);
    let result = match shared_of(v, meta) {
        None => Value::Nil,
        Some(s) if s.borrow().is_none() => ctx.str("closed file"),
        Some(_) => ctx.str("file"),
    };
    stack.replace(&[result]);
    Ok(Action::Return)
}

/// Closes the handle at window index 0 (`aux_close`): standard files refuse.
fn close_handle<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    shared: &Shared,
) -> NativeResult<'gc> {
    if with_stream(shared, |s| s.is_standard()) == Some(true) {
        stack.replace(&[Value::Nil, ctx.str("cannot close standard file")]);
        return Ok(Action::Return);
    }
    let stream = shared.borrow_mut().take();
    let result = match stream {
        Some(mut s) => s.close(),
        None => Ok(()),
    };
    push_result(ctx, stack, result)
}

fn io_close<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    if !stack.has(0) {
        let (env, _) = env_and_meta(stack);
        stack.push(env.get_int(OUTPUT));
    }
    let shared = check_open(stack, 0)?;
    close_handle(ctx, stack, &shared)
}

fn f_gc<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_file(stack, 0)?;
    if shared.borrow().is_some() {
        close_handle(ctx, stack, &shared)?;
    }
    stack.clear();
    Ok(Action::Return)
}

fn f_tostring<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_file(stack, 0)?;
    let text = if shared.borrow().is_none() {
        "file (closed)".to_string()
    } else {
        format!("file ({:p})", Rc::as_ptr(&shared))
    };
    stack.replace(&[ctx.str(text)]);
    Ok(Action::Return)
}

/// 5.1's `getiofile`: the current input or output, which must be open.
fn current_file<'gc>(stack: &Stack<'gc, '_>, which: i64) -> ArgResult<'gc, Shared> {
    let (env, meta) = env_and_meta(stack);
    let shared = shared_of(env.get_int(which), meta);
    match shared {
        Some(s) if s.borrow().is_some() => Ok(s),
        _ => {
            let name = if which == INPUT { "input" } else { "output" };
            Err(NativeError::runtime(format!(
                "standard {name} file is closed"
            )))
        }
    }
}

fn io_flush<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = current_file(stack, OUTPUT)?;
    let result = with_stream(&shared, |s| s.flush()).unwrap_or(Ok(()));
    push_result(ctx, stack, result)
}

fn f_flush<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_open(stack, 0)?;
    let result = with_stream(&shared, |s| s.flush()).unwrap_or(Ok(()));
    push_result(ctx, stack, result)
}

/// `io.input`/`io.output`: with a name, opens it in `mode` (raising on failure); with a handle,
/// makes it current; returns the current file.
fn set_current<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    which: i64,
    mode: &[u8],
) -> NativeResult<'gc> {
    let (env, meta) = env_and_meta(stack);
    let name = match stack.get(0) {
        Value::String(s) => Some(s.as_bytes().to_vec()),
        Value::Number(n) => {
            let mut b = Vec::new();
            format_number(n, &mut b);
            Some(b)
        }
        _ => None,
    };
    if let Some(name) = name {
        let stream = open_file(&name, mode).map_err(|e| {
            let mut text = c_string(&name).to_vec();
            text.extend_from_slice(b": ");
            text.extend_from_slice(os_error_text(&e).as_bytes());
            NativeError::bad_argument(1, String::from_utf8_lossy(&text).into_owned())
        })?;
        env.set_int(ctx.mc, which, new_file(ctx, meta, stream));
    } else if !stack.get(0).is_nil() {
        check_open(stack, 0)?;
        env.set_int(ctx.mc, which, stack.get(0));
    }
    stack.replace(&[env.get_int(which)]);
    Ok(Action::Return)
}

fn io_input<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    set_current(ctx, stack, INPUT, b"r")
}

fn io_output<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    set_current(ctx, stack, OUTPUT, b"w")
}

/// The iterator `lines` returns: upvalues are the handle and whether to close it at the end.
fn lines_iterator<'gc>(ctx: Ctx<'gc>, file: Value<'gc>, close_at_end: bool) -> Value<'gc> {
    NativeClosure::function(
        ctx.mc,
        "lines",
        read_line_iter,
        vec![file, Value::Boolean(close_at_end)],
    )
}

fn read_line_iter<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (file, close_at_end) = match stack.upvalues() {
        [file, close, ..] => (*file, close.is_truthy()),
        _ => unreachable!("lines iterators are created with two upvalues"),
    };
    let shared = match file {
        Value::UserData(ud) => {
            ud.0.payload
                .borrow()
                .downcast_ref::<Handle>()
                .map(|h| h.0.clone())
        }
        _ => None,
    };
    let line = shared
        .as_ref()
        .and_then(|s| with_stream(s, |s| s.read_line()));
    let Some(line) = line else {
        return Err(NativeError::runtime("file is already closed"));
    };
    match line {
        Ok(Some(l)) => stack.replace(&[ctx.str(l)]),
        Ok(None) => {
            stack.clear();
            if let (true, Some(shared)) = (close_at_end, shared) {
                if let Some(mut s) = shared.borrow_mut().take() {
                    let _ = s.close();
                }
            }
        }
        Err(e) => return Err(NativeError::runtime(os_error_text(&e))),
    }
    Ok(Action::Return)
}

fn f_lines<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    check_open(stack, 0)?;
    let f = lines_iterator(ctx, stack.get(0), false);
    stack.replace(&[f]);
    Ok(Action::Return)
}

fn io_lines<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let (env, meta) = env_and_meta(stack);
    if stack.get(0).is_nil() {
        stack.replace(&[env.get_int(INPUT)]);
        return f_lines(ctx, stack);
    }
    let name = check_string(ctx, stack, 0)?;
    let stream = open_file(name.as_bytes(), b"r").map_err(|e| {
        let mut text = c_string(name.as_bytes()).to_vec();
        text.extend_from_slice(b": ");
        text.extend_from_slice(os_error_text(&e).as_bytes());
        NativeError::bad_argument(1, String::from_utf8_lossy(&text).into_owned())
    })?;
    let f = new_file(ctx, meta, stream);
    let iter = lines_iterator(ctx, f, true);
    stack.replace(&[iter]);
    Ok(Action::Return)
}

/// One read format's outcome: a value, or `None` when it failed (the result is then `nil` and
/// reading stops).
fn read_one<'gc>(
    ctx: Ctx<'gc>,
    stream: &mut Stream,
    format: Value<'gc>,
    arg: usize,
) -> Result<io::Result<Option<Value<'gc>>>, NativeError<'gc>> {
    let text = |r: io::Result<Option<Vec<u8>>>| r.map(|o| o.map(|b| ctx.str(b)));
    let spec = match format {
        Value::Number(n) => {
            let count = number_to_integer(n) as u64;
            return Ok(if count == 0 {
                stream.has_more().map(|more| more.then(|| ctx.str("")))
            } else {
                text(
                    stream
                        .read_chars(count)
                        .map(|b| (!b.is_empty()).then_some(b)),
                )
            });
        }
        Value::String(s) => s.as_bytes(),
        _ => return Err(NativeError::bad_argument(arg, "invalid option")),
    };
    if spec.first() != Some(&b'*') {
        return Err(NativeError::bad_argument(arg, "invalid option"));
    }
    Ok(match spec.get(1) {
        Some(b'n') => stream.read_number().map(|n| n.map(Value::Number)),
        Some(b'l') => text(stream.read_line()),
        Some(b'a') => text(stream.read_chars(u64::MAX).map(Some)),
        _ => return Err(NativeError::bad_argument(arg, "invalid format")),
    })
}

/// `g_read`: the formats are the window values from `first` on.
fn read_formats<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    shared: &Shared,
    first: usize,
) -> NativeResult<'gc> {
    let formats: Vec<Value<'gc>> = stack.as_slice()[first.min(stack.len())..].to_vec();
    let mut guard = shared.borrow_mut();
    let Some(stream) = guard.as_mut() else {
        return Err(NativeError::runtime("attempt to use a closed file"));
    };
    let mut results = Vec::new();
    let outcome = if formats.is_empty() {
        read_one(ctx, stream, ctx.str("*l"), first + 1)?
            .map(|v| results.push(v.unwrap_or(Value::Nil)))
    } else {
        let mut outcome = Ok(());
        for (i, format) in formats.into_iter().enumerate() {
            match read_one(ctx, stream, format, first + i + 1)? {
                Ok(Some(v)) => results.push(v),
                Ok(None) => {
                    results.push(Value::Nil);
                    break;
                }
                Err(e) => {
                    outcome = Err(e);
                    break;
                }
            }
        }
        outcome
    };
    drop(guard);
    match outcome {
        Ok(()) => stack.replace(&results),
        Err(e) => push_failure(ctx, stack, &e, None),
    }
    Ok(Action::Return)
}

fn io_read<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = current_file(stack, INPUT)?;
    read_formats(ctx, stack, &shared, 0)
}

fn f_read<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_open(stack, 0)?;
    read_formats(ctx, stack, &shared, 1)
}

/// `g_write`: writes the window values from `first` on (strings, numbers as `%.14g`); after a
/// failure the remaining values are still checked but not written.
fn write_values<'gc>(
    ctx: Ctx<'gc>,
    stack: &mut Stack<'gc, '_>,
    shared: &Shared,
    first: usize,
) -> NativeResult<'gc> {
    let mut status = Ok(());
    let mut number = Vec::new();
    for i in first..stack.len() {
        let bytes = match stack.get(i) {
            Value::String(s) => s.as_bytes(),
            Value::Number(n) => {
                number.clear();
                format_number(n, &mut number);
                &number[..]
            }
            _ => {
                return Err(NativeError::type_error(
                    i + 1,
                    "string",
                    stack.type_name_of(i),
                ))
            }
        };
        if status.is_ok() && !bytes.is_empty() {
            status = with_stream(shared, |s| s.write(bytes)).unwrap_or(Ok(()));
        }
    }
    push_result(ctx, stack, status)
}

fn io_write<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = current_file(stack, OUTPUT)?;
    write_values(ctx, stack, &shared, 0)
}

fn f_write<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_open(stack, 0)?;
    write_values(ctx, stack, &shared, 1)
}

fn f_seek<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_open(stack, 0)?;
    let whence = check_option(ctx, stack, 1, Some("cur"), &["set", "cur", "end"])?;
    let offset = opt_integer(stack, 2, 0)?;
    match with_stream(&shared, |s| s.seek(whence, offset)).unwrap_or(Ok(0)) {
        Ok(pos) => stack.replace(&[Value::Number(pos as f64)]),
        Err(e) => push_failure(ctx, stack, &e, None),
    }
    Ok(Action::Return)
}

fn f_setvbuf<'gc>(ctx: Ctx<'gc>, stack: &mut Stack<'gc, '_>) -> NativeResult<'gc> {
    let shared = check_open(stack, 0)?;
    let mode = check_option(ctx, stack, 1, None, &["no", "full", "line"])?;
    opt_integer(stack, 2, 0)?;
    let mode = [Buffering::No, Buffering::Full, Buffering::Line][mode];
    let result = with_stream(&shared, |s| s.set_buffering(mode)).unwrap_or(Ok(()));
    push_result(ctx, stack, result)
}
