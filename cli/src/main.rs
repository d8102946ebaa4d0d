//! `ferrous-lua`: the lua(1)-compatible command line.
//!
//! Mirrors lua.c of Lua 5.1: options are handled left to right (`-e` runs code, `-l` requires a
//! module), then the script runs with its arguments in `arg` and `...`. Errors print
//! `progname: message` and a traceback to stderr and exit with status 1.

use std::process::ExitCode;

use ferrous_lua::stdlib::output;
use ferrous_lua::{Lua, LuaError, Value};

/// Prints an error as lua.c's `l_message` does.
fn report(progname: &str, err: &LuaError) {
    output::flush();
    if let Some(message) = err.message() {
        let mut text = format!("{progname}: ").into_bytes();
        text.extend_from_slice(&message);
        if let Some(tb) = &err.traceback {
            text.push(b'\n');
            text.extend_from_slice(tb.as_bytes());
        }
        text.push(b'\n');
        use std::io::Write;
        let _ = std::io::stderr().write_all(&text);
    }
}

fn usage(progname: &str) {
    eprintln!(
        "usage: {progname} [options] [script [args]].\n\
Available options are:\n\
  -e stat  execute string 'stat'\n\
  -l name  require library 'name'\n\
  -i       enter interactive mode after executing 'script'\n\
  -v       show version information\n\
  --       stop handling options\n\
  -        execute stdin and stop handling options"
    );
}

/// Sets the global `arg`: the script at 0, its arguments after, everything before it negative.
fn set_arg_table(lua: &Lua, argv: &[String], script: usize) {
    lua.mutate(|ctx| {
        let t = ferrous_lua::table::Table::new(ctx.mc);
        for (i, a) in argv.iter().enumerate() {
            t.set_int(ctx.mc, i as i64 - script as i64, ctx.str(a));
        }
        let _ = ctx.globals().set(ctx.mc, ctx.str("arg"), Value::Table(t));
    });
}

fn run() -> u8 {
    let argv: Vec<String> = std::env::args().collect();
    let progname = argv.first().cloned().unwrap_or_else(|| "lua".to_string());
    let mut lua = Lua::new();
    let mut i = 1;
    let mut script = None;
    while i < argv.len() {
        let a = argv[i].as_str();
        match a {
            "--" => {
                i += 1;
                if i < argv.len() {
                    script = Some(i);
                }
                break;
            }
            "-" => {
                script = Some(i);
                break;
            }
            "-v" => println!("Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio"),
            "-i" => {}
            _ if a.starts_with("-e") => {
                let code = if a.len() > 2 {
                    a[2..].to_string()
                } else {
                    i += 1;
                    match argv.get(i) {
                        Some(c) => c.clone(),
                        None => {
                            usage(&progname);
                            return 1;
                        }
                    }
                };
                if let Err(e) = lua.exec(code.as_bytes(), b"=(command line)", &[]) {
                    report(&progname, &e);
                    return 1;
                }
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                usage(&progname);
                return 1;
            }
            _ => {
                script = Some(i);
                break;
            }
        }
        i += 1;
    }
    let Some(script) = script else {
        if argv.len() == 1 {
            let result = ferrous_lua::stdlib::base::read_source_file(None);
            return run_loaded(&mut lua, &progname, result, &[]);
        }
        return 0;
    };
    set_arg_table(&lua, &argv, script);
    let args: Vec<Vec<u8>> = argv[script + 1..]
        .iter()
        .map(|a| a.clone().into_bytes())
        .collect();
    let path = if argv[script] == "-" {
        None
    } else {
        Some(argv[script].as_bytes())
    };
    let result = ferrous_lua::stdlib::base::read_source_file(path);
    run_loaded(&mut lua, &progname, result, &args)
}

fn run_loaded(
    lua: &mut Lua,
    progname: &str,
    loaded: Result<(Vec<u8>, Vec<u8>), String>,
    args: &[Vec<u8>],
) -> u8 {
    let (source, chunkname) = match loaded {
        Ok(l) => l,
        Err(message) => {
            report(
                progname,
                &LuaError {
                    value: ferrous_lua::ErrorValue::Text(message.into_bytes()),
                    traceback: None,
                },
            );
            return 1;
        }
    };
    let status = match lua.exec(&source, &chunkname, args) {
        Ok(()) => 0,
        Err(e) => {
            report(progname, &e);
            1
        }
    };
    lua.close();
    status
}

fn main() -> ExitCode {
    let status = run();
    output::flush();
    ExitCode::from(status)
}
