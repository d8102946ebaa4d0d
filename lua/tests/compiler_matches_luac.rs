//! Oracle test: our `listing` of every fixture in `tests/compiler/*.lua` must equal `luac5.1 -l -l -p`.
//!
//! The expected listings are stored next to each fixture (`*.luac.txt`, re-recorded by
//! `tests/compiler/record.sh`), so the test also runs where luac5.1 is not installed; when it is
//! installed, the live output is checked too. Addresses (`0x...`) are renumbered by first appearance.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferrous_lua::compiler::{compile, listing, skip_shebang};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compiler")
}

/// Renumbers `0x<hex>` addresses in order of first appearance.
fn normalize(text: &str) -> String {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'0' && bytes.get(i + 1) == Some(&b'x') {
            let mut j = i + 2;
            while j < bytes.len() && bytes[j].is_ascii_hexdigit() {
                j += 1;
            }
            if j > i + 2 {
                let n = ids.len();
                let id = *ids.entry(text[i..j].to_string()).or_insert(n);
                out.push_str(&format!("ADDR{id}"));
                i = j;
                continue;
            }
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

fn luac_listing(dir: &Path, name: &str) -> Option<String> {
    let out = Command::new("luac5.1")
        .args(["-l", "-l", "-p", name])
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn fixtures(ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// First differing line, for a readable failure.
fn first_difference(expected: &str, actual: &str) -> String {
    for (n, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            return format!("line {}:\n  luac: {e}\n  ours: {a}", n + 1);
        }
    }
    format!(
        "lengths differ: luac {} lines, ours {} lines",
        expected.lines().count(),
        actual.lines().count()
    )
}

#[test]
fn listings_match_luac() {
    let dir = fixture_dir();
    let mut failures = Vec::new();
    let files = fixtures("lua");
    assert!(files.len() >= 60, "expected a corpus of fixtures");
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let source = fs::read(path).unwrap();
        let chunkname = format!("@{name}");
        let ours = match compile(skip_shebang(&source), chunkname.as_bytes()) {
            Ok(p) => normalize(&listing(&p, true)),
            Err(e) => {
                failures.push(format!(
                    "{name}: compile error {}",
                    String::from_utf8_lossy(&e.message)
                ));
                continue;
            }
        };
        if let Ok(dump) = std::env::var("FERROUS_LISTING_DUMP") {
            fs::write(Path::new(&dump).join(format!("{name}.ours.txt")), &ours).unwrap();
        }
        let stored = path.with_extension("luac.txt");
        let expected = fs::read_to_string(&stored)
            .unwrap_or_else(|_| panic!("missing {}; run record.sh", stored.display()));
        if normalize(&expected) != ours {
            failures.push(format!(
                "{name} (stored): {}",
                first_difference(&normalize(&expected), &ours)
            ));
        }
        if let Some(live) = luac_listing(&dir, &name) {
            if normalize(&live) != ours {
                failures.push(format!(
                    "{name} (luac5.1): {}",
                    first_difference(&normalize(&live), &ours)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// Every `.lua` file of a corpus compiles to live luac5.1's listing (or fails with its message): by
/// default the conformance programs in `tests/lua/`, or the directory in `FERROUS_LUAC_CORPUS`.
/// Skipped (with a notice) when luac5.1 is not installed.
#[test]
fn corpus_matches_live_luac() {
    if Command::new("luac5.1").arg("-v").output().is_err() {
        eprintln!("luac5.1 not installed: corpus comparison skipped");
        return;
    }
    let dir = std::env::var("FERROUS_LUAC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/lua"));
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        checked += 1;
        let source = fs::read(&path).unwrap();
        let Some(live) = luac_listing(&dir, &name) else {
            let out = Command::new("luac5.1")
                .args(["-p", &name])
                .current_dir(&dir)
                .output()
                .expect("luac5.1");
            let expected = String::from_utf8_lossy(&out.stderr);
            let expected = expected.strip_suffix('\n').unwrap_or(&expected);
            let expected = expected.strip_prefix("luac5.1: ").unwrap_or(expected);
            let ours = match compile(skip_shebang(&source), format!("@{name}").as_bytes()) {
                Ok(_) => "compiled".to_string(),
                Err(e) => String::from_utf8_lossy(&e.message).into_owned(),
            };
            if ours != expected {
                failures.push(format!("{name}: luac: {expected}\n  ours: {ours}"));
            }
            continue;
        };
        match compile(skip_shebang(&source), format!("@{name}").as_bytes()) {
            Ok(p) => {
                let ours = normalize(&listing(&p, true));
                if normalize(&live) != ours {
                    failures.push(format!(
                        "{name}: {}",
                        first_difference(&normalize(&live), &ours)
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: {}", String::from_utf8_lossy(&e.message))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
