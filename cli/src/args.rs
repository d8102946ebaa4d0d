//! The command line: lua.c 5.1's rules decide the structure, clap parses the options.
//!
//! lua(1)'s grammar is not one clap can express on its own: options end at the first argument that
//! does not start with `-` (the script), everything after the script belongs to the script even
//! when it looks like an option, `-e`/`-l` take their value glued (`-eprint(1)`) or as the next
//! argument even when that starts with `-`, `-iv` is an error rather than two flags, and `-e=x`
//! runs the code `=x`. So [`collect`] first walks the arguments exactly as lua.c's `collectargs`
//! does (extended with this interpreter's own options), finds the script and rejects what lua5.1
//! rejects (the caller then prints lua's usage message). The options before the script, split into
//! `-e` `CODE` pairs, are then parsed by clap, which provides `--help`, `--version` and typed,
//! ordered values.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use clap::{Arg, ArgAction, ArgMatches, Command};

/// One `-e` or `-l`, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `-e stat`: run the string.
    Exec(Vec<u8>),
    /// `-l name`: `require(name)`.
    Require(Vec<u8>),
}

/// What to do with a bytecode/syntax-only request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inspect {
    /// Run normally.
    No,
    /// `-p`: compile only.
    ParseOnly,
    /// `--list` (`false`) or `--list-full` (`true`): print the bytecode like `luac -l` / `-l -l`.
    List(bool),
}

/// A parsed command line.
#[derive(Debug)]
pub struct Invocation {
    /// The raw arguments, program name first (the `arg` table is built from these).
    pub argv: Vec<OsString>,
    /// `-e` and `-l` in order.
    pub actions: Vec<Action>,
    /// `-i`.
    pub interactive: bool,
    /// `-v` (also set by `-i`, as in lua.c).
    pub version: bool,
    /// Whether any `-e` was given (no REPL/stdin script then).
    pub has_e: bool,
    /// Index of the script in `argv`.
    pub script: Option<usize>,
    /// Whether the script is standard input (`-` that does not follow `--`).
    pub script_is_stdin: bool,
    /// `-p`, `--list`, `--list-full`.
    pub inspect: Inspect,
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    /// Run.
    Run(Invocation),
    /// The arguments are invalid for lua(1): print its usage message, exit 1.
    Usage,
    /// clap handled it (`--help`, `--version`, a conflict between this interpreter's options):
    /// print the error/help and exit with its code.
    Clap(clap::Error),
}

/// Long options of this interpreter that lua.c does not have.
const LONG_OPTIONS: &[&str] = &[
    "--help",
    "--version",
    "--list",
    "--list-full",
    "--parse-only",
];

/// The clap description of the options (also the source of `--help`).
pub fn command() -> Command {
    Command::new("ferrous-lua")
        .version(env!("CARGO_PKG_VERSION"))
        .long_version(concat!(
            env!("CARGO_PKG_VERSION"),
            " (Lua 5.1.5 compatible; ",
            "Lua 5.1.5  Copyright (C) 1994-2012 Lua.org, PUC-Rio)"
        ))
        .about("A Lua 5.1 interpreter (lua(1)-compatible command line)")
        .override_usage("ferrous-lua [options] [script [args]]")
        .after_help(
            "Options are handled left to right: every -e and -l runs in order before the script. \
             LUA_INIT (or LUA_INIT=@file) runs first. Arguments after the script are the \
             script's (in `arg` and `...`), even when they start with '-'. With no script, \
             standard input is run, or the interactive REPL starts when it is a terminal.",
        )
        // Flags may repeat, as in lua.c (`-v -v`).
        .args_override_self(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("exec")
                .short('e')
                .value_name("stat")
                .help("execute string 'stat'")
                .allow_hyphen_values(true)
                .action(ArgAction::Append)
                .value_parser(clap::value_parser!(OsString)),
        )
        .arg(
            Arg::new("require")
                .short('l')
                .value_name("name")
                .help("require library 'name'")
                .allow_hyphen_values(true)
                .action(ArgAction::Append)
                .value_parser(clap::value_parser!(OsString)),
        )
        .arg(
            Arg::new("interactive")
                .short('i')
                .help("enter interactive mode after executing 'script'")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("lua-version")
                .short('v')
                .help("show version information")
                .action(ArgAction::SetTrue),
        )
        .arg(
            Arg::new("parse-only")
                .short('p')
                .long("parse-only")
                .help("only check the syntax of the script, the -e strings and the script's arguments (as more files)")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["interactive", "require", "list", "list-full"]),
        )
        .arg(
            Arg::new("list")
                .long("list")
                .help("print the bytecode like `luac -l` instead of running (files as with -p)")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["interactive", "require", "list-full"]),
        )
        .arg(
            Arg::new("list-full")
                .long("list-full")
                .help("as --list, with constants, locals and upvalues (`luac -l -l`)")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["interactive", "require"]),
        )
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help("print this help")
                .action(ArgAction::Help),
        )
        .arg(
            Arg::new("version")
                .long("version")
                .help("print the version of ferrous-lua")
                .action(ArgAction::Version),
        )
        .arg(
            Arg::new("script")
                .value_name("script")
                .help("the script to run ('-' for standard input; '--' before a file named '-')"),
        )
        .arg(
            Arg::new("args")
                .value_name("args")
                .help("the script's arguments")
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true),
        )
}

/// Parses the command line (`argv[0]` is the program name).
pub fn parse(argv: Vec<OsString>) -> Parsed {
    let Some(scan) = collect(&argv) else {
        return Parsed::Usage;
    };
    let end = scan.script.unwrap_or(argv.len());
    // The options, with the glued values split off so clap never reinterprets them (`-e=x`).
    let mut options: Vec<OsString> = vec![argv[0].clone()];
    let mut value_next = false;
    for a in &argv[1..end] {
        let b = a.as_bytes();
        if std::mem::take(&mut value_next) {
            options.push(a.clone());
        } else if b == b"-e" || b == b"-l" {
            options.push(a.clone());
            value_next = true;
        } else if b.len() > 2 && (b[1] == b'e' || b[1] == b'l') {
            options.push(OsString::from_vec(b[..2].to_vec()));
            options.push(OsString::from_vec(b[2..].to_vec()));
        } else if b != b"--" {
            options.push(a.clone());
        }
    }
    let matches = match command().try_get_matches_from(options) {
        Ok(m) => m,
        Err(e) => return Parsed::Clap(e),
    };
    let inspect = if flag(&matches, "parse-only") {
        Inspect::ParseOnly
    } else if flag(&matches, "list-full") {
        Inspect::List(true)
    } else if flag(&matches, "list") {
        Inspect::List(false)
    } else {
        Inspect::No
    };
    let actions = ordered_actions(&matches);
    let script_is_stdin = scan
        .script
        .is_some_and(|s| argv[s] == "-" && argv[s - 1] != "--");
    Parsed::Run(Invocation {
        actions,
        interactive: flag(&matches, "interactive"),
        version: flag(&matches, "lua-version") || flag(&matches, "interactive"),
        has_e: scan.has_e,
        script: scan.script,
        script_is_stdin,
        inspect,
        argv,
    })
}

/// Whether a flag was given (flags may repeat, as in lua.c: `-v -v`).
fn flag(m: &ArgMatches, id: &str) -> bool {
    m.get_flag(id)
}

/// `-e` and `-l` values merged back into command-line order.
fn ordered_actions(m: &ArgMatches) -> Vec<Action> {
    let mut all: Vec<(usize, Action)> = Vec::new();
    for (id, make) in [
        ("exec", Action::Exec as fn(Vec<u8>) -> Action),
        ("require", Action::Require),
    ] {
        if let (Some(values), Some(indices)) = (m.get_many::<OsString>(id), m.indices_of(id)) {
            for (v, i) in values.zip(indices) {
                all.push((i, make(v.as_bytes().to_vec())));
            }
        }
    }
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, a)| a).collect()
}

struct Scan {
    script: Option<usize>,
    has_e: bool,
}

/// lua.c's `collectargs`: finds the script and validates the options; `None` = usage error.
/// The single-letter options take no tail (`-iv` is invalid); `-e`/`-l` need a value.
fn collect(argv: &[OsString]) -> Option<Scan> {
    let mut has_e = false;
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_bytes();
        if a.first() != Some(&b'-') {
            return Some(Scan {
                script: Some(i),
                has_e,
            });
        }
        match a.get(1) {
            None => {
                return Some(Scan {
                    script: Some(i),
                    has_e,
                })
            }
            Some(b'-') if a == b"--" => {
                let script = (i + 1 < argv.len()).then_some(i + 1);
                return Some(Scan { script, has_e });
            }
            Some(b'-') => {
                if !LONG_OPTIONS.iter().any(|o| OsStr::new(o) == argv[i]) {
                    return None;
                }
            }
            Some(b'i' | b'v' | b'p' | b'h') => {
                if a.len() != 2 {
                    return None;
                }
            }
            Some(b'e' | b'l') => {
                has_e |= a[1] == b'e';
                if a.len() == 2 {
                    i += 1;
                    if i >= argv.len() {
                        return None;
                    }
                }
            }
            Some(_) => return None,
        }
        i += 1;
    }
    Some(Scan {
        script: None,
        has_e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Invocation {
        let argv = std::iter::once("lua")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        match parse(argv) {
            Parsed::Run(inv) => inv,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn is_usage(args: &[&str]) -> bool {
        let argv = std::iter::once("lua")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        matches!(parse(argv), Parsed::Usage)
    }

    #[test]
    fn order_and_glued_values() {
        let inv = run(&[
            "-ex=1", "-l", "mod", "-e", "-x", "-e", "-lother", "s.lua", "-e", "y",
        ]);
        assert_eq!(
            inv.actions,
            vec![
                Action::Exec(b"x=1".to_vec()),
                Action::Require(b"mod".to_vec()),
                Action::Exec(b"-x".to_vec()),
                Action::Exec(b"-lother".to_vec()),
            ]
        );
        assert_eq!(inv.script, Some(8));
        assert!(inv.has_e);
    }

    #[test]
    fn equals_sign_is_code() {
        let inv = run(&["-e=1"]);
        assert_eq!(inv.actions, vec![Action::Exec(b"=1".to_vec())]);
    }

    #[test]
    fn dashes() {
        let inv = run(&["-", "a"]);
        assert_eq!((inv.script, inv.script_is_stdin), (Some(1), true));
        let inv = run(&["--", "-", "a"]);
        assert_eq!((inv.script, inv.script_is_stdin), (Some(2), false));
        let inv = run(&["-v", "--"]);
        assert_eq!(inv.script, None);
        assert!(inv.version);
    }

    #[test]
    fn lua_rejects() {
        for bad in [
            &["-iv"][..],
            &["-z"],
            &["-e"],
            &["-l"],
            &["--x"],
            &["-vz"],
            &["-i-"],
        ] {
            assert!(is_usage(bad), "{bad:?}");
        }
    }

    #[test]
    fn interactive_implies_version() {
        let inv = run(&["-i"]);
        assert!(inv.interactive && inv.version);
    }

    #[test]
    fn inspect_modes() {
        assert_eq!(run(&["-p", "a.lua"]).inspect, Inspect::ParseOnly);
        assert_eq!(run(&["--list", "a.lua"]).inspect, Inspect::List(false));
        assert_eq!(run(&["--list-full", "a.lua"]).inspect, Inspect::List(true));
    }
}
