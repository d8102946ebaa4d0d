//! `ferrous-lua`: the lua(1)-compatible command line.
//!
//! Mirrors lua.c of Lua 5.1: `LUA_INIT` runs first, then the options left to right (`-e` runs
//! code, `-l` requires a module, `-v` prints the version before any of them run), then the script
//! with its arguments in `arg` and `...`, then the REPL when `-i` was given (or when there are no
//! arguments and standard input is a terminal; otherwise standard input is run as a script).
//! Errors print `progname: message` and a traceback to stderr and exit with status 1.
//!
//! Beyond lua.c: `--help`/`-h`, `--version`, `-p`/`--parse-only`, `--list`/`--list-full` (bytecode
//! as `luac -l` prints it), and a line-editing REPL ([`repl`]). See `docs/cli.md`.

mod args;
mod complete;
mod interrupt;
mod repl;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::os::unix::ffi::OsStrExt;
use std::process::ExitCode;

use ferrous_lua::stdlib::output;
use ferrous_lua::{ErrorValue, Lua, LuaError, Value};

use args::{Action, Inspect, Invocation, Parsed};
use interrupt::Interrupt;

/// lua.c's `print_version` text.
pub const BANNER: &str = "Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio";

/// lua.c's usage message, `{}` being the program name.
fn usage_text(progname: &str) -> String {
    format!(
        concat!(
            "usage: {progname} [options] [script [args]].\n",
            "Available options are:\n",
            "  -e stat  execute string 'stat'\n",
            "  -l name  require library 'name'\n",
            "  -i       enter interactive mode after executing 'script'\n",
            "  -v       show version information\n",
            "  --       stop handling options\n",
            "  -        execute stdin and stop handling options\n",
        ),
        progname = progname
    )
}

/// Writes to stderr after flushing what Lua printed, so the two streams interleave as written.
pub fn eprint_bytes(bytes: &[u8]) {
    output::flush();
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(bytes);
    let _ = err.flush();
}

/// lua.c's `l_message`: `progname: msg` (no prefix in the REPL).
pub fn l_message(progname: Option<&str>, msg: &[u8]) {
    let mut text = Vec::new();
    if let Some(p) = progname {
        text.extend_from_slice(p.as_bytes());
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(msg);
    text.push(b'\n');
    eprint_bytes(&text);
}

/// The message and traceback of an error, as lua.c's `traceback` handler builds them.
pub fn error_text(err: &LuaError) -> Option<Vec<u8>> {
    let mut text = err.message()?;
    if let Some(tb) = &err.traceback {
        text.push(b'\n');
        text.extend_from_slice(tb.as_bytes());
    }
    Some(text)
}

/// A state plus what lua.c keeps beside it.
pub struct Session {
    pub lua: Lua,
    pub progname: String,
    pub interrupt: Interrupt,
}

impl Session {
    fn new(progname: String) -> Session {
        let lua = Lua::new();
        let interrupt = Interrupt::install(lua.interrupt_handle());
        Session {
            lua,
            progname,
            interrupt,
        }
    }

    /// lua.c's `report`: prints a failure (if it has a message); true when `result` failed.
    fn report(&self, result: Result<(), LuaError>) -> bool {
        match result {
            Ok(()) => false,
            Err(e) => {
                if let Some(text) = error_text(&e) {
                    l_message(Some(&self.progname), &text);
                }
                true
            }
        }
    }

    /// Compiles and runs a chunk (interruptible); true on failure (reported).
    fn dochunk(&mut self, source: &[u8], chunkname: &[u8], args: &[Vec<u8>]) -> bool {
        let result = match Lua::compile(source, chunkname) {
            Ok(proto) => {
                let lua = &mut self.lua;
                self.interrupt.guard(|| lua.run_proto(&proto, args))
            }
            Err(e) => Err(e),
        };
        self.report(result)
    }

    /// Runs a file (`None`: standard input) as lua.c's `dofile`/`handle_script` do.
    fn dofile(&mut self, path: Option<&[u8]>, args: &[Vec<u8>]) -> bool {
        match ferrous_lua::stdlib::base::read_source_file(path) {
            Ok((source, chunkname)) => self.dochunk(&source, &chunkname, args),
            Err(message) => self.report(Err(LuaError {
                value: ErrorValue::Text(message.into_bytes()),
                traceback: None,
            })),
        }
    }

    /// `-l name`: `require(name)`.
    fn dolibrary(&mut self, name: &[u8]) -> bool {
        let lua = &mut self.lua;
        let result = self.interrupt.guard(|| {
            lua.call(|ctx| {
                let require = ctx.globals().get(ctx.str("require"));
                (require, vec![ctx.str(name)])
            })
        });
        self.report(result)
    }

    /// `LUA_INIT`: a chunk, or `@file`.
    fn handle_luainit(&mut self) -> bool {
        let Some(init) = std::env::var_os("LUA_INIT") else {
            return false;
        };
        let init = init.as_bytes();
        match init.strip_prefix(b"@") {
            Some(file) => self.dofile(Some(file), &[]),
            None => self.dochunk(init, b"=LUA_INIT", &[]),
        }
    }

    /// Sets the global `arg`: the script at 0, its arguments after, everything before negative.
    fn set_arg_table(&self, argv: &[OsString], script: usize) {
        self.lua.mutate(|ctx| {
            let t = ferrous_lua::table::Table::new(ctx.mc);
            for (i, a) in argv.iter().enumerate() {
                t.set_int(ctx.mc, i as i64 - script as i64, ctx.str(a.as_bytes()));
            }
            let _ = ctx.globals().set(ctx.mc, ctx.str("arg"), Value::Table(t));
        });
    }
}

fn print_version() {
    l_message(None, BANNER.as_bytes());
}

/// Runs the parsed command line; the exit status. The state is closed at the end (`lua_close`:
/// pending `__gc` finalizers run), after the REPL too.
fn run(inv: Invocation, progname: String) -> u8 {
    if inv.inspect != Inspect::No {
        return inspect(&inv, &progname);
    }
    let mut s = Session::new(progname);
    match run_session(&mut s, &inv) {
        Next::Exit(status) => {
            s.lua.close();
            status
        }
        Next::Repl => {
            repl::run(s);
            0
        }
    }
}

/// What follows the command line's chunks.
enum Next {
    Exit(u8),
    Repl,
}

/// lua.c's `pmain`, up to the REPL.
fn run_session(s: &mut Session, inv: &Invocation) -> Next {
    if s.handle_luainit() {
        return Next::Exit(1);
    }
    if inv.version {
        print_version();
    }
    for action in &inv.actions {
        let failed = match action {
            Action::Exec(code) => s.dochunk(code, b"=(command line)", &[]),
            Action::Require(name) => s.dolibrary(name),
        };
        if failed {
            return Next::Exit(1);
        }
    }
    if let Some(script) = inv.script {
        s.set_arg_table(&inv.argv, script);
        let args: Vec<Vec<u8>> = inv.argv[script + 1..]
            .iter()
            .map(|a| a.as_bytes().to_vec())
            .collect();
        let path = (!inv.script_is_stdin).then(|| inv.argv[script].as_bytes());
        if s.dofile(path, &args) {
            return Next::Exit(1);
        }
    }
    if inv.interactive {
        return Next::Repl;
    }
    if inv.script.is_none() && !inv.has_e && !inv.version {
        if std::io::stdin().is_terminal() {
            print_version();
            return Next::Repl;
        }
        if s.dofile(None, &[]) {
            // lua5.1 exits 0 here (its status is dropped); 5.2 and later, and this, exit 1.
            return Next::Exit(1);
        }
    }
    Next::Exit(0)
}

/// `-p`, `--list`, `--list-full`: compiles the `-e` strings, then the script and its arguments
/// (as more files, `-` for standard input; standard input when there are none), without running.
fn inspect(inv: &Invocation, progname: &str) -> u8 {
    // (source, chunkname), or why it could not be read.
    type Loaded = Result<(Vec<u8>, Vec<u8>), String>;
    let mut chunks: Vec<Loaded> = Vec::new();
    for action in &inv.actions {
        if let Action::Exec(code) = action {
            chunks.push(Ok((code.clone(), b"=(command line)".to_vec())));
        }
    }
    match inv.script {
        Some(first) => {
            for (i, file) in inv.argv.iter().enumerate().skip(first) {
                // The script is standard input unless it followed `--`; later `-`s always are.
                let stdin = file == "-" && (i != first || inv.script_is_stdin);
                let path = (!stdin).then(|| file.as_bytes());
                chunks.push(ferrous_lua::stdlib::base::read_source_file(path));
            }
        }
        None if !inv.has_e => chunks.push(ferrous_lua::stdlib::base::read_source_file(None)),
        None => {}
    }
    if inv.version {
        print_version();
    }
    for chunk in chunks {
        let compiled = chunk
            .map_err(String::into_bytes)
            .and_then(|(source, name)| {
                Lua::compile(&source, &name).map_err(|e| e.message().unwrap_or_default())
            });
        match compiled {
            Ok(proto) => {
                if let Inspect::List(full) = inv.inspect {
                    output::write(ferrous_lua::compiler::listing(&proto, full).as_bytes());
                }
            }
            Err(message) => {
                l_message(Some(progname), &message);
                return 1;
            }
        }
    }
    0
}

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let progname = match argv.first() {
        Some(p) if !p.is_empty() => p.to_string_lossy().into_owned(),
        _ => "lua".to_string(),
    };
    let status = match args::parse(argv) {
        Parsed::Run(inv) => run(inv, progname),
        Parsed::Usage => {
            // lua.c runs LUA_INIT before it looks at the options.
            let mut s = Session::new(progname.clone());
            if !s.handle_luainit() {
                eprint_bytes(usage_text(&progname).as_bytes());
            }
            s.lua.close();
            1
        }
        Parsed::Clap(e) => {
            let _ = e.print();
            e.exit_code() as u8
        }
    };
    output::flush();
    ExitCode::from(status)
}
