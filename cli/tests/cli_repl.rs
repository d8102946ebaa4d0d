//! The REPL on a terminal: `ferrous-lua` driven through a pseudo-terminal (rexpect), with `HOME`
//! pointed at a scratch directory for the history file. What the screen shows includes
//! rustyline's cursor movements, so the checks look for the text that must appear — text the
//! echo of the typed line cannot contain (`'al' .. 'ive'` is typed, `alive` expected).
//!
//! The same REPL reading a pipe (`-i`, no line editing, lua.c's prompts on stdout) is checked
//! exactly in `cli_args.rs`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rexpect::session::{spawn_command, PtySession};

use common::{ferrous, fixtures, scratch_dir};

const TIMEOUT_MS: u64 = 15_000;

fn start(home: &Path, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(ferrous());
    cmd.args(args)
        .current_dir(fixtures())
        .env("HOME", home)
        .env("TERM", "xterm")
        .env_remove("LUA_INIT");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).expect("spawn ferrous-lua on a pty");
    p.exp_string("Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio")
        .unwrap();
    p.exp_string("> ").unwrap();
    p
}

/// Ctrl-C at the prompt, then waits for the fresh prompt (rustyline drops keys typed ahead of
/// it after Ctrl-C). The line ends with bracketed paste being switched off (`ESC [?2004l`).
fn ctrl_c_at_prompt(p: &mut PtySession) {
    p.send_control('c').unwrap();
    p.exp_string("\x1b[?2004l").unwrap();
    p.exp_string("> ").unwrap();
}

/// Ctrl-D at the prompt: the REPL ends, status 0.
fn finish(mut p: PtySession) {
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let status = p.process().wait().unwrap();
    let status = format!("{status:?}");
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
}

#[test]
fn lines_statements_expressions_and_errors() {
    let home = scratch_dir("repl");
    let mut p = start(&home, &[]);
    // A statement over several lines, with the continuation prompt.
    p.send_line("for i = 1, 3 do").unwrap();
    p.exp_string(">> ").unwrap();
    p.send_line("io.write(i * 10, ' ') end").unwrap();
    p.exp_string("10 20 30").unwrap();
    p.exp_string("> ").unwrap();
    // `=expr` and a bare expression print their values, tab-separated, with tostring.
    p.send_line("=1+1, 'two'").unwrap();
    p.exp_string("2\ttwo").unwrap();
    p.send_line(
        "setmetatable({}, {__tostring = function() return 'shown by' .. ' __tostring' end})",
    )
    .unwrap();
    p.exp_string("shown by __tostring").unwrap();
    // A multi-line expression.
    p.send_line("#{1,").unwrap();
    p.exp_string(">> ").unwrap();
    p.send_line("2, 3}").unwrap();
    p.exp_string("3\r\n").unwrap();
    // An error, then a good line: the REPL goes on.
    p.send_line("error('oops')").unwrap();
    p.exp_string("stdin:1: oops").unwrap();
    p.exp_string("stack traceback:").unwrap();
    p.send_line("x = = 1").unwrap();
    p.exp_string("stdin:1: unexpected symbol near '='").unwrap();
    p.send_line("print('still ' .. 'here')").unwrap();
    p.exp_string("still here").unwrap();
    // The prompt globals.
    p.send_line("_PROMPT = 'lua' .. '% '").unwrap();
    p.exp_string("lua% ").unwrap();
    finish(p);
}

#[test]
fn tab_completion() {
    let home = scratch_dir("repl");
    let mut p = start(&home, &[]);
    // A library field.
    p.send("=string.fo\t").unwrap();
    p.flush().unwrap();
    p.send_line("('%05d', 42)").unwrap();
    p.exp_string("00042").unwrap();
    // A table's field after `t.`, a global, a method through the string metatable.
    p.send_line("tbl = {unique_field = 'from' .. ' tbl'}")
        .unwrap();
    p.exp_string("> ").unwrap();
    p.send("=tbl.uni\t").unwrap();
    p.flush().unwrap();
    p.send_line("").unwrap();
    p.exp_string("from tbl").unwrap();
    p.send_line("my_long_global_name = 'gl' .. 'ob'").unwrap();
    p.exp_string("> ").unwrap();
    p.send("=my_long_g\t").unwrap();
    p.flush().unwrap();
    p.send_line("").unwrap();
    p.exp_string("glob").unwrap();
    p.send_line("s = 'abc'").unwrap();
    p.exp_string("> ").unwrap();
    p.send("=s:up\t").unwrap();
    p.flush().unwrap();
    p.send_line("()").unwrap();
    p.exp_string("ABC").unwrap();
    // Several candidates: a second Tab lists them.
    p.send_line("two = {alpha = 1, alps = 2}").unwrap();
    p.exp_string("> ").unwrap();
    p.send("two.al\t\t").unwrap();
    p.flush().unwrap();
    p.exp_string("alpha  alps").unwrap();
    ctrl_c_at_prompt(&mut p);
    finish(p);
}

#[test]
fn ctrl_c_interrupts_a_running_chunk_and_clears_the_line() {
    let home = scratch_dir("repl");
    let mut p = start(&home, &[]);
    p.send_line("while true do end").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("interrupted!").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("print('al' .. 'ive')").unwrap();
    p.exp_string("alive").unwrap();
    // At the prompt, Ctrl-C drops the line being typed.
    p.send("print('dropped')").unwrap();
    p.flush().unwrap();
    p.exp_string("print('dropped')").unwrap();
    ctrl_c_at_prompt(&mut p);
    p.send_line("print('ke' .. 'pt')").unwrap();
    let before = p.exp_string("kept").unwrap();
    assert!(!before.contains("\ndropped"), "{before:?}");
    finish(p);
}

#[test]
fn history_is_written_and_read_back() {
    let home = scratch_dir("repl");
    let mut p = start(&home, &[]);
    p.send_line("for i = 1, 2 do").unwrap();
    p.exp_string(">> ").unwrap();
    p.send_line("end").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("hist_value = 12345").unwrap();
    p.exp_string("> ").unwrap();
    finish(p);
    let history = std::fs::read_to_string(home.join(".ferrous_lua_history")).unwrap();
    assert!(history.contains("hist_value = 12345"), "{history:?}");
    assert!(history.contains("for i = 1, 2 do"), "{history:?}");

    // A new session: Up recalls the assignment; running it again and printing shows it.
    let mut p = start(&home, &[]);
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("hist_value = 12345").unwrap();
    p.send_line("").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("=hist_value + 1").unwrap();
    p.exp_string("12346").unwrap();
    // The multi-line chunk is one entry.
    p.send("\x1b[A\x1b[A\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("for i = 1, 2 do").unwrap();
    ctrl_c_at_prompt(&mut p);
    finish(p);
}

#[test]
fn i_after_a_script_keeps_its_globals() {
    let home = scratch_dir("repl");
    let mut cmd = Command::new(ferrous());
    cmd.args(["-i", "mod.lua"])
        .current_dir(fixtures())
        .env("HOME", &home)
        .env("TERM", "xterm")
        .env_remove("LUA_INIT");
    let mut p = spawn_command(cmd, Some(TIMEOUT_MS)).unwrap();
    p.exp_string("Lua 5.1.5").unwrap();
    p.exp_string("mod loaded").unwrap();
    p.exp_string("> ").unwrap();
    p.send_line("=mod_loaded").unwrap();
    p.exp_string("yes").unwrap();
    finish(p);
}

/// Outside the REPL, Ctrl-C (SIGINT) interrupts the running script like lua.c: an
/// `interrupted!` error, status 1.
#[test]
fn sigint_interrupts_a_script() {
    let child = Command::new(ferrous())
        .args(["-e", "local n = 0 while true do n = n + 1 end"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted!"), "{stderr}");
}
