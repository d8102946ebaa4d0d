//! The command line against lua5.1: every option and combination in `data/cli_cases.rs`, run
//! with the program name `lua` in `data/fixtures`, stdout, stderr and exit status compared
//! exactly.
//!
//! The expectations are recorded from lua5.1 (5.1.5), so the test asserts lua5.1's behaviour
//! on a machine without it. When `lua5.1` is on `PATH`, each case is also run with it and must
//! still give the recording (a check that the recordings are lua5.1's). A case with `differs`
//! is one where ferrous-lua deliberately does something else (the reason says what); its
//! recording is ferrous-lua's and lua5.1 is not run on it.

mod common;

use common::{ferrous, on_path, run, Outcome};

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: Option<&'static str>,
    env: &'static [(&'static str, &'static str)],
    stdout: &'static str,
    stderr: &'static str,
    status: i32,
    /// Why ferrous-lua's recorded behaviour is not lua5.1's, for deliberate differences.
    differs: Option<&'static str>,
}

const CASES: &[Case] = &include!("data/cli_cases.rs");

fn describe(case: &Case, who: &str, got: &Outcome) -> String {
    let want = Outcome {
        stdout: case.stdout.to_owned(),
        stderr: case.stderr.to_owned(),
        status: case.status,
    };
    format!(
        "{} (lua {:?}, stdin {:?}, env {:?}): {who} gave\n  {got:?}\nrecorded:\n  {want:?}\n",
        case.name, case.args, case.stdin, case.env
    )
}

fn matches(case: &Case, got: &Outcome) -> bool {
    got.stdout == case.stdout && got.stderr == case.stderr && got.status == case.status
}

#[test]
fn command_line_matches_lua51() {
    let reference = on_path("lua5.1");
    if reference.is_none() {
        eprintln!("lua5.1 not installed: checking the recorded expectations only");
    }
    let mut failures = Vec::new();
    for case in CASES {
        let got = run(&ferrous(), case.args, case.stdin, case.env);
        if !matches(case, &got) {
            failures.push(describe(case, "ferrous-lua", &got));
        }
        if let (Some(lua51), None) = (&reference, case.differs) {
            let got = run(lua51, case.args, case.stdin, case.env);
            if !matches(case, &got) {
                failures.push(describe(case, "lua5.1 (re-record?)", &got));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn help_and_version_are_clap_style() {
    let help = run(&ferrous(), &["--help"], None, &[]);
    assert_eq!(help.status, 0);
    assert!(help.stderr.is_empty());
    for text in [
        "Usage: ferrous-lua [options] [script [args]]",
        "-e <stat>",
        "-l <name>",
        "--list",
        "--parse-only",
        "LUA_INIT",
    ] {
        assert!(
            help.stdout.contains(text),
            "--help lacks {text:?}:\n{}",
            help.stdout
        );
    }
    assert_eq!(run(&ferrous(), &["-h"], None, &[]), help);
    let version = run(&ferrous(), &["--version"], None, &[]);
    assert_eq!(version.status, 0);
    assert_eq!(
        version.stdout,
        format!(
            "ferrous-lua {} (Lua 5.1.5 compatible; Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // Only before the script: after it, they are the script's arguments.
    let after = run(&ferrous(), &["x.lua", "--help"], None, &[]);
    assert_eq!(after.stdout, "x\t--help\n");
}

/// `--list` prints what `luac5.1 -l -p` prints, but for the functions' addresses (a counter
/// here, real pointers there).
#[test]
fn list_matches_luac() {
    let Some(luac) = on_path("luac5.1") else {
        eprintln!("luac5.1 not installed: skipped");
        return;
    };
    let addresses = |text: &str| -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("0x") {
            out.push_str(&rest[..i]);
            out.push_str("0xADDR");
            rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        }
        out.push_str(rest);
        out
    };
    for (ours, theirs) in [
        (&["--list"][..], &["-l", "-p"][..]),
        (&["--list-full"], &["-l", "-l", "-p"]),
    ] {
        for file in ["small.lua", "argdump.lua", "err.lua"] {
            let mine = run(&ferrous(), &[ours, &[file]].concat(), None, &[]);
            let reference = run(&luac, &[theirs, &[file]].concat(), None, &[]);
            assert_eq!(mine.status, 0, "{mine:?}");
            assert_eq!(
                addresses(&mine.stdout),
                addresses(&reference.stdout),
                "{ours:?} {file}"
            );
        }
    }
}
