//! Syntax errors must read exactly as lua5.1's: each `tests/compiler/errors/*.lua` has the message
//! recorded from lua5.1 in `*.err`; limits are checked with generated sources and messages from
//! `loadstring` in lua5.1.

use std::fs;
use std::path::Path;

use ferrous_lua::compiler::{compile, compile_at_depth, skip_shebang};

fn message(source: &[u8], chunkname: &str, depth: u32) -> String {
    match compile_at_depth(source, chunkname.as_bytes(), depth) {
        Ok(_) => "compiled".to_string(),
        Err(e) => String::from_utf8_lossy(&e.message).into_owned(),
    }
}

#[test]
fn recorded_syntax_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compiler/errors");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40);
    let mut failures = Vec::new();
    for path in paths {
        let name = path.file_name().unwrap().to_str().unwrap();
        let expected = fs::read_to_string(path.with_extension("err")).unwrap();
        let source = fs::read(&path).unwrap();
        let got = message(&source, &format!("@{name}"), 2);
        if got != expected {
            failures.push(format!("{name}:\n  lua5.1: {expected}\n  ours:   {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn string_chunk_names() {
    let e = compile(b"x = ", b"x = ").unwrap_err();
    assert_eq!(
        e.message,
        b"[string \"x = \"]:1: unexpected symbol near '<eof>'"
    );
    let e = compile(b"x = \"abc\ndef\"", b"x = \"abc\ndef\"").unwrap_err();
    assert_eq!(
        e.message,
        b"[string \"x = \"abc...\"]:1: unfinished string near '\"abc'"
    );
    let e = compile(skip_shebang(b"#!shebang\nx 1"), b"=stdin").unwrap_err();
    assert_eq!(e.message, b"stdin:2: '=' expected near '1'");
    let e = compile(b"#!shebang\nx = 1", b"=(load)").unwrap_err();
    assert_eq!(e.message, b"(load):1: unexpected symbol near '#'");
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn limits() {
    let locals: Vec<String> = names("local a", 201);
    assert_eq!(
        message(locals.join("\n").as_bytes(), "@locals", 2),
        "locals:201: main function has more than 200 local variables"
    );
    let src = format!("\n\nfunction f()\n local {} end", names("a", 201).join(","));
    assert_eq!(
        message(src.as_bytes(), "@locals_fn", 2),
        "locals_fn:4: function at line 3 has more than 200 local variables"
    );
    let decls: Vec<String> = names("u", 61)
        .iter()
        .map(|u| format!("local {u} = 1"))
        .collect();
    let src = format!(
        "{}\nfunction f() return {} end",
        decls.join("\n"),
        names("u", 61).join("+")
    );
    assert_eq!(
        message(src.as_bytes(), "@upvalues", 2),
        "upvalues:62: function at line 62 has more than 60 upvalues"
    );
    let parens = |n: usize| format!("x = {}1{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(message(parens(196).as_bytes(), "@p", 2), "compiled");
    assert_eq!(
        message(parens(197).as_bytes(), "@p", 2),
        "p:1: chunk has too many syntax levels"
    );
    assert_eq!(message(parens(197).as_bytes(), "@p", 1), "compiled");
    assert_eq!(
        message(parens(198).as_bytes(), "@p", 1),
        "p:1: chunk has too many syntax levels"
    );
    let src = format!("{} = 1", names("a", 260).join(","));
    assert_eq!(
        message(src.as_bytes(), "@assign", 2),
        "assign:1: main function has more than 197 variables in assignment"
    );
    let src = format!("f({}1)", "1,".repeat(300));
    assert_eq!(
        message(src.as_bytes(), "@callargs", 2),
        "callargs:1: function or expression too complex near '1'"
    );
    let src = format!("x = {}a", "a .. ".repeat(300));
    assert_eq!(
        message(src.as_bytes(), "@complex", 2),
        "complex:1: chunk has too many syntax levels"
    );
}
