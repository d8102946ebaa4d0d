//! `EVAL`, `EVALSHA`, `EVAL_RO`, `EVALSHA_RO` and `SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP`: scripts
//! are cached by the SHA1 of their body, compiled once (`@user_script` chunk, shebang line
//! blanked but its newline kept so line numbers stay right) and run by [`super::run::invoke`].

use super::engine::Engine;
use super::flags::{parse_shebang, Flags};
use super::lib::sha1_hex;
use super::run::{invoke, Invocation};
use super::Script;
use crate::cmd::errors::{CmdError, NOT_INT};
use crate::cmd::{args, CmdResult, Ctx};

/// `NOSCRIPT No matching script. Please use EVAL.`
pub const NOSCRIPT: CmdError = CmdError::fixed("NOSCRIPT No matching script. Please use EVAL.");
/// `NOTBUSY No scripts in execution right now.`
pub const NOTBUSY: CmdError = CmdError::fixed("NOTBUSY No scripts in execution right now.");

/// `EVAL script numkeys [key ...] [arg ...]`.
pub fn eval(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if let Some(mode) = cx.client.ldb {
        return super::ldb::eval(cx, argv, mode, false);
    }
    eval_generic(cx, argv, false, false)
}

/// `EVALSHA sha1 numkeys [key ...] [arg ...]`.
pub fn evalsha(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(cx, argv, true, false)
}

/// `EVAL_RO`.
pub fn eval_ro(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if let Some(mode) = cx.client.ldb {
        return super::ldb::eval(cx, argv, mode, true);
    }
    eval_generic(cx, argv, false, true)
}

/// `EVALSHA_RO`.
pub fn evalsha_ro(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(cx, argv, true, true)
}

/// Parses `numkeys` at `argv[2]` with Redis's errors; returns it.
pub fn numkeys(argv: &[Vec<u8>]) -> Result<usize, CmdError> {
    let n = args::int_or(&argv[2], NOT_INT)?;
    if n > (argv.len() - 3) as i64 {
        return Err(CmdError::fixed(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    if n < 0 {
        return Err(CmdError::fixed("ERR Number of keys can't be negative"));
    }
    Ok(n as usize)
}

/// The script engine, created on first use.
pub(super) fn engine(cx: &mut Ctx) -> Box<Engine> {
    cx.server.scripting.eval.take().unwrap_or_default()
}

/// Compiles `body` into the cache (if not there yet) and returns its SHA1.
fn load(cx: &mut Ctx, engine: &mut Engine, body: &[u8]) -> Result<String, CmdError> {
    let sha = sha1_hex(body);
    if cx.server.scripting.scripts.contains_key(&sha) {
        return Ok(sha);
    }
    let (flags, shebang_len) = parse_shebang(body).map_err(CmdError::owned)?;
    let func = engine
        .compile(&body[shebang_len..], b"@user_script")
        .map_err(|e| CmdError::owned(format!("ERR Error compiling script (new function): {e}")))?;
    cx.server.scripting.scripts.insert(
        sha.clone(),
        Script {
            body: body.to_vec(),
            func,
            flags,
        },
    );
    Ok(sha)
}

fn eval_generic(cx: &mut Ctx, argv: &[Vec<u8>], by_sha: bool, ro: bool) -> CmdResult {
    let n = numkeys(argv)?;
    let mut engine = engine(cx);
    let result = eval_with(cx, &mut engine, argv, n, by_sha, ro);
    cx.server.scripting.eval = Some(engine);
    result
}

/// Runs `EVAL`/`EVALSHA` (`by_sha`) with `n` keys on `engine` (also the debugger's entry).
pub(super) fn eval_with(
    cx: &mut Ctx,
    engine: &mut Engine,
    argv: &[Vec<u8>],
    n: usize,
    by_sha: bool,
    ro: bool,
) -> CmdResult {
    let loaded;
    let sha = if by_sha {
        if cx.client.ldb.is_some() && argv[1].len() == 40 {
            return Err(super::ldb::USE_EVAL);
        }
        sha_key(&argv[1]).ok_or(NOSCRIPT)?
    } else {
        loaded = load(cx, engine, &argv[1])?;
        std::borrow::Cow::Borrowed(loaded.as_str())
    };
    let Some(script) = cx.server.scripting.scripts.get(&*sha) else {
        return Err(NOSCRIPT);
    };
    let (func, flags) = (script.func.clone(), script.flags);
    let read_only = check_flags(flags, ro)?;
    invoke(
        cx,
        engine,
        Invocation {
            name: &sha,
            func: &func,
            keys: &argv[3..3 + n],
            args: &argv[3 + n..],
            read_only,
            function: false,
            argv,
        },
    )
}

/// The cache key for an `EVALSHA` argument: the SHA1 in lowercase, borrowed when it already is
/// (the usual case, so the lookup allocates nothing); `None` when it cannot be a SHA1.
fn sha_key(arg: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    if arg.len() != 40 {
        return None;
    }
    let text = std::str::from_utf8(arg).ok()?;
    Some(if arg.iter().any(u8::is_ascii_uppercase) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    })
}

/// Checks a script's flags against the command (`scriptPrepareForRun`); returns whether writes
/// are refused.
pub fn check_flags(flags: Flags, ro: bool) -> Result<bool, CmdError> {
    if !flags.compat && !flags.no_writes && ro {
        return Err(CmdError::fixed(
            "ERR Can not execute a script with write flag using *_ro command.",
        ));
    }
    Ok(ro || flags.no_writes)
}

/// `SCRIPT LOAD script`.
pub fn script_load(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut engine = engine(cx);
    let result = load(cx, &mut engine, &argv[2]);
    cx.server.scripting.eval = Some(engine);
    cx.out.bulk(result?.as_bytes());
    Ok(())
}

/// `SCRIPT EXISTS sha1 [sha1 ...]`.
pub fn script_exists(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    cx.out.array(argv.len() - 2);
    for sha in &argv[2..] {
        let key = String::from_utf8_lossy(sha).to_ascii_lowercase();
        let known = cx.server.scripting.scripts.contains_key(&key);
        cx.out.int(known as i64);
    }
    Ok(())
}

/// `SCRIPT FLUSH [ASYNC|SYNC]`: drops every script and starts a fresh Lua state.
pub fn script_flush(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    match argv.get(2) {
        None => {}
        Some(a) if argv.len() == 3 && (args::is(a, "ASYNC") || args::is(a, "SYNC")) => {}
        Some(_) => {
            return Err(CmdError::fixed(
                "ERR SCRIPT FLUSH only support SYNC|ASYNC option",
            ))
        }
    }
    cx.server.scripting.scripts.clear();
    cx.server.scripting.eval = None;
    cx.out.ok();
    Ok(())
}

/// `SCRIPT KILL`: stops the running script unless it has written.
pub fn script_kill(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    kill(cx, false)
}

/// Shared by `SCRIPT KILL` and `FUNCTION KILL`.
pub fn kill(cx: &mut Ctx, function: bool) -> CmdResult {
    let Some(r) = cx.server.scripting.running.as_mut() else {
        return Err(NOTBUSY);
    };
    if r.function != function {
        return Err(CmdError::fixed(if r.function {
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
        } else {
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
        }));
    }
    if r.wrote {
        return Err(CmdError::fixed(
            "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
        ));
    }
    r.kill = true;
    cx.out.ok();
    Ok(())
}

/// `SCRIPT HELP`.
pub fn script_help(cx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    const LINES: &[&str] = &[
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.array(LINES.len());
    for l in LINES {
        cx.out.simple(l);
    }
    Ok(())
}

/// `SCRIPT DEBUG YES|SYNC|NO`.
pub fn script_debug(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    super::ldb::script_debug(cx, argv)
}
