//! Conformance corpus: runs `ferrous-lua` on every `tests/lua/*.lua` program and
//! compares its behaviour with the expectations recorded from the reference
//! `lua5.1` by `tests/lua/record.sh`.
//!
//! For every `NAME.lua` the corpus holds:
//! * `NAME.stdout` — the exact stdout bytes (always present);
//! * `NAME.stderr` — stderr, only when non-empty, with the interpreter's
//!   program name normalised to `lua:`;
//! * `NAME.status` — the exit status, only when non-zero.
//!
//! Programs run with the current directory `tests/lua` and the script given by
//! its bare file name, so chunk names in messages read `NAME.lua:3:`.
//!
//! Comparison rules:
//! * stdout byte for byte;
//! * the exit status;
//! * stderr after normalisation ([`normalise_stderr`]): a leading
//!   `ferrous-lua:` becomes `lua:` and `0x<hex>` addresses become `0xADDR`
//!   (in both the expected and the actual text). The error message (everything
//!   before the `stack traceback:` line) always has to match; the traceback is
//!   compared only when [`COMPARE_TRACEBACKS`] is true, and a traceback-only
//!   difference is reported as such.
//!
//! All programs are run (in parallel) and every failure is listed in one panic
//! message. Set `FERROUS_LUA_TESTS=name1,name2` to run a subset (substring
//! match on the program name), and `FERROUS_LUA_BIN=/usr/bin/lua5.1` to run
//! the corpus against another interpreter (the reference should pass).

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// Whether the `stack traceback:` part of stderr must match the recording
/// from lua5.1 exactly. The message line(s) before it are always compared.
///
/// Strict by default: the traceback lines (`\t[C]: in function 'error'`,
/// `\tNAME.lua:3: in main chunk`, `\t[C]: ?`, ...) are part of what lua(1)
/// prints. Turning this off keeps the message comparison and skips only the
/// traceback.
const COMPARE_TRACEBACKS: bool = true;

/// A program that runs longer than this is killed and reported as failing.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The corpus must not shrink below this many programs.
const MIN_PROGRAMS: usize = 150;

/// The line lua.c prints before the traceback of an uncaught error.
const TRACEBACK_HEADER: &str = "stack traceback:";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lua")
}

/// The interpreter under test: the built `ferrous-lua`, unless the
/// `FERROUS_LUA_BIN` environment variable names another one (for instance
/// `FERROUS_LUA_BIN=/usr/bin/lua5.1` to check the corpus and this runner
/// against the reference).
fn interpreter() -> PathBuf {
    match std::env::var_os("FERROUS_LUA_BIN") {
        Some(bin) if !bin.is_empty() => PathBuf::from(bin),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_ferrous-lua")),
    }
}

/// Names (without `.lua`) of every program in the corpus, sorted.
fn program_names() -> Vec<String> {
    let dir = corpus_dir();
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read corpus directory {}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".lua").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

/// Replaces every `0x` followed by one or more lowercase hex digits with `0xADDR`.
fn normalise_addresses(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"0x") {
            let digits = bytes[i + 2..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
                .count();
            if digits > 0 {
                out.push_str(&text[copied..i]);
                out.push_str("0xADDR");
                i += 2 + digits;
                copied = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Program names that lua(1)-style interpreters put in front of messages
/// (lua.c uses `argv[0]`, which may be a full path): the interpreter's path
/// and file name, `ferrous-lua` and `lua5.1`.
fn program_names_in_messages() -> Vec<String> {
    let bin = interpreter();
    let mut names = vec![bin.to_string_lossy().into_owned()];
    if let Some(file) = bin.file_name() {
        names.push(file.to_string_lossy().into_owned());
    }
    names.push("ferrous-lua".to_owned());
    names.push("lua5.1".to_owned());
    names
}

/// Normalises stderr for comparison: the program name at the start of a line
/// (`ferrous-lua:`, the interpreter's path, or `lua5.1:` should a raw
/// recording slip in) becomes `lua:`, and addresses become `0xADDR`.
fn normalise_stderr(text: &str) -> String {
    let prefixes: Vec<String> = program_names_in_messages()
        .into_iter()
        .map(|n| format!("{n}:"))
        .collect();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match prefixes.iter().find_map(|p| line.strip_prefix(p.as_str())) {
            Some(rest) => {
                out.push_str("lua:");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    normalise_addresses(&out)
}

/// Splits stderr into the message part and the traceback part (which starts
/// with the `stack traceback:` line; empty when there is none).
fn split_traceback(stderr: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in stderr.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == TRACEBACK_HEADER {
            return stderr.split_at(offset);
        }
        offset += line.len();
    }
    (stderr, "")
}

/// Describes the first differing line of two texts, e.g.
/// `line 3: expected "foo" got "bar"`.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    let mut exp_lines = expected.split_inclusive('\n');
    let mut act_lines = actual.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (exp_lines.next(), act_lines.next()) {
            (None, None) => return "texts differ".to_owned(),
            (Some(e), None) => return format!("line {line}: expected {e:?}, got end of output"),
            (None, Some(a)) => return format!("line {line}: expected end of output, got {a:?}"),
            (Some(e), Some(a)) if e != a => {
                return format!("line {line}: expected {e:?}, got {a:?}")
            }
            _ => line += 1,
        }
    }
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<ExitStatus>,
    timed_out: bool,
}

fn spawn_reader(mut source: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = source.read_to_end(&mut buf);
        buf
    })
}

/// Runs one program with a timeout, capturing stdout and stderr.
fn run_program(name: &str) -> Result<Outcome, String> {
    let bin = interpreter();
    let mut command = Command::new(&bin);
    // lua.c names itself after argv[0]; pass the bare file name rather than
    // the absolute path Command would otherwise use.
    #[cfg(unix)]
    if let Some(file) = bin.file_name() {
        use std::os::unix::process::CommandExt;
        command.arg0(file);
    }
    let mut child = command
        .arg(format!("{name}.lua"))
        .current_dir(corpus_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = spawn_reader(child.stdout.take().expect("piped stdout"));
    let stderr = spawn_reader(child.stderr.take().expect("piped stderr"));

    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= TIMEOUT => {
                timed_out = true;
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for the interpreter failed: {e}")),
        }
    };
    Ok(Outcome {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        status,
        timed_out,
    })
}

/// Runs one program and returns the list of problems (empty when it passes).
fn check_program(name: &str) -> Vec<String> {
    let dir = corpus_dir();
    let read = |ext: &str| fs::read(dir.join(format!("{name}.{ext}"))).ok();
    let Some(expected_stdout) = read("stdout") else {
        return vec![format!(
            "missing {name}.stdout (run tests/lua/record.sh {name})"
        )];
    };
    let expected_stderr = read("stderr").unwrap_or_default();
    let expected_status: i32 = match read("status") {
        None => 0,
        Some(bytes) => match String::from_utf8_lossy(&bytes).trim().parse() {
            Ok(status) => status,
            Err(_) => return vec![format!("unreadable {name}.status")],
        },
    };

    let outcome = match run_program(name) {
        Ok(outcome) => outcome,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    if outcome.timed_out {
        problems.push(format!("timed out after {}s (killed)", TIMEOUT.as_secs()));
    }

    if outcome.stdout != expected_stdout {
        problems.push(format!(
            "stdout differs: {}",
            first_difference(&expected_stdout, &outcome.stdout)
        ));
    }

    if let Some(status) = outcome.status {
        match status.code() {
            Some(code) if code == expected_status => {}
            Some(code) => problems.push(format!("exit status {code}, expected {expected_status}")),
            None => problems.push(format!(
                "killed by a signal ({status}), expected exit status {expected_status}"
            )),
        }
    }

    let expected_err = normalise_stderr(&String::from_utf8_lossy(&expected_stderr));
    let actual_err = normalise_stderr(&String::from_utf8_lossy(&outcome.stderr));
    if expected_err != actual_err {
        let (exp_msg, exp_tb) = split_traceback(&expected_err);
        let (act_msg, act_tb) = split_traceback(&actual_err);
        if exp_msg != act_msg {
            problems.push(format!(
                "stderr message differs: {}",
                first_difference(exp_msg.as_bytes(), act_msg.as_bytes())
            ));
        } else if COMPARE_TRACEBACKS && exp_tb != act_tb {
            problems.push(format!(
                "stderr traceback differs (message matches; see COMPARE_TRACEBACKS; lines counted from `stack traceback:`): {}",
                first_difference(exp_tb.as_bytes(), act_tb.as_bytes())
            ));
        }
    }
    problems
}

fn selected_programs() -> Vec<String> {
    let names = program_names();
    match std::env::var("FERROUS_LUA_TESTS") {
        Ok(filter) if !filter.trim().is_empty() => {
            let wanted: Vec<&str> = filter.split(',').map(str::trim).collect();
            names
                .into_iter()
                .filter(|n| wanted.iter().any(|w| !w.is_empty() && n.contains(w)))
                .collect()
        }
        _ => names,
    }
}

#[test]
fn lua_programs_match_reference() {
    let names = selected_programs();
    assert!(
        !names.is_empty(),
        "no programs selected in {}",
        corpus_dir().display()
    );

    let queue = Arc::new(Mutex::new(names.iter().cloned().collect::<VecDeque<_>>()));
    let failures = Arc::new(Mutex::new(Vec::<(String, Vec<String>)>::new()));
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let failures = Arc::clone(&failures);
            thread::spawn(move || loop {
                let Some(name) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let problems = check_program(&name);
                if !problems.is_empty() {
                    failures.lock().unwrap().push((name, problems));
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("worker thread panicked");
    }

    let mut failures = std::mem::take(&mut *failures.lock().unwrap());
    if failures.is_empty() {
        return;
    }
    failures.sort();
    let mut report = format!(
        "{} of {} Lua programs failed (COMPARE_TRACEBACKS = {COMPARE_TRACEBACKS}):\n",
        failures.len(),
        names.len()
    );
    for (name, problems) in &failures {
        let _ = writeln!(report, "  {name}.lua");
        for problem in problems {
            let _ = writeln!(report, "      {problem}");
        }
    }
    let _ = write!(
        report,
        "failing: {}",
        failures
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    panic!("{report}");
}

#[test]
fn corpus_has_enough_programs() {
    let names = program_names();
    assert!(
        names.len() >= MIN_PROGRAMS,
        "expected at least {MIN_PROGRAMS} programs in {}, found {}",
        corpus_dir().display(),
        names.len()
    );
    let dir = corpus_dir();
    let missing: Vec<&str> = names
        .iter()
        .filter(|n| !dir.join(format!("{n}.stdout")).is_file())
        .map(String::as_str)
        .collect();
    assert!(
        missing.is_empty(),
        "programs without a recorded .stdout: {missing:?}"
    );
}

#[test]
fn normalisation_helpers() {
    assert_eq!(
        normalise_addresses("table: 0x55d0c8a2b6f0 x"),
        "table: 0xADDR x"
    );
    assert_eq!(normalise_addresses("0x 0xg 0x1"), "0x 0xg 0xADDR");
    assert_eq!(
        normalise_stderr("ferrous-lua: a.lua:1: boom\n"),
        "lua: a.lua:1: boom\n"
    );
    assert_eq!(normalise_stderr("lua5.1: x\n"), "lua: x\n");
    let (msg, tb) = split_traceback("lua: m\nstack traceback:\n\t[C]: ?\n");
    assert_eq!((msg, tb), ("lua: m\n", "stack traceback:\n\t[C]: ?\n"));
    assert_eq!(split_traceback("lua: m\n"), ("lua: m\n", ""));
    assert_eq!(
        first_difference(b"a\nb\n", b"a\nc\n"),
        "line 2: expected \"b\\n\", got \"c\\n\""
    );
}
