//! Helpers shared by the `cli_*` tests: running the built binary (or lua5.1) the way a user
//! would, with the program name `lua` (so messages read `lua: ...` for both) in the fixture
//! directory, with `LUA_INIT` removed and `HOME` pointed at a scratch directory.

#![allow(dead_code)]

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The binary under test.
pub fn ferrous() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ferrous-lua"))
}

/// `tests/data/fixtures`: the scripts the cases name.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixtures")
}

/// A program on `PATH`, if installed (the references `lua5.1`, `luac5.1`).
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

/// A fresh empty directory under the target directory (for `HOME`).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What a run printed and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

/// Runs `binary` as `lua ARGS...` in the fixture directory, `stdin` piped in (empty when
/// `None`), `env` added. Killed after 20 s.
pub fn run(binary: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Outcome {
    let home = scratch_dir("home");
    let mut cmd = Command::new(binary);
    cmd.arg0("lua")
        .args(args)
        .current_dir(fixtures())
        .env_remove("LUA_INIT")
        .env("HOME", &home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
    let mut input = child.stdin.take().unwrap();
    let text = stdin.unwrap_or("").to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("lua {args:?} timed out");
        }
    };
    let _ = writer.join();
    let _ = std::fs::remove_dir_all(&home);
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}
