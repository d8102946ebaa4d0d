//! Scripting integration tests over TCP: EVAL/EVALSHA/SCRIPT with the script cache, conversions in
//! RESP2 and RESP3, errors word for word, the sandbox, FUNCTION/FCALL, BUSY with SCRIPT KILL and
//! FUNCTION KILL from other clients (including ones connecting while the script runs), UNKILLABLE,
//! the memory bound, `redis-cli --eval`. The replies compared with redis-server live in
//! `tests/redis/scripting*.txt` (differential runner).

mod common;

use common::{encode, Raw, Server};
use std::time::{Duration, Instant};

const BUSY: &str =
    "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";

fn eval(raw: &mut Raw, script: &str, rest: &[&str]) -> String {
    let mut args: Vec<&[u8]> = vec![b"EVAL", script.as_bytes()];
    args.extend(rest.iter().map(|a| a.as_bytes()));
    String::from_utf8_lossy(&raw.cmd_args(&args)).into_owned()
}

#[test]
fn eval_evalsha_and_the_script_cache() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(
        eval(&mut r, "return KEYS[1]..ARGV[1]", &["1", "k", "a"]),
        "$2\r\nka\r\n"
    );
    let sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
    assert_eq!(r.cmd(&format!("SCRIPT EXISTS {sha}")), "*1\r\n:0\r\n");
    assert_eq!(
        String::from_utf8_lossy(&r.cmd_args(&[b"SCRIPT", b"LOAD", b"return 1"])),
        format!("$40\r\n{sha}\r\n")
    );
    assert_eq!(r.cmd(&format!("EVALSHA {sha} 0")), ":1\r\n");
    assert_eq!(
        r.cmd(&format!("EVALSHA {} 0", sha.to_uppercase())),
        ":1\r\n"
    );
    assert_eq!(r.cmd("SCRIPT FLUSH"), "+OK\r\n");
    assert_eq!(
        r.cmd(&format!("EVALSHA {sha} 0")),
        "-NOSCRIPT No matching script. Please use EVAL.\r\n"
    );
    assert_eq!(
        eval(&mut r, "return 1", &["-1"]),
        "-ERR Number of keys can't be negative\r\n"
    );
    assert_eq!(
        eval(&mut r, "return 1", &["2", "a"]),
        "-ERR Number of keys can't be greater than number of args\r\n"
    );
}

#[test]
fn conversions_resp2_and_resp3() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(
        eval(&mut r, "return {1,2.9,-2.9,'x',true,false,nil,4}", &["0"]),
        "*6\r\n:1\r\n:2\r\n:-2\r\n$1\r\nx\r\n:1\r\n$-1\r\n"
    );
    assert_eq!(eval(&mut r, "return {err='E x'}", &["0"]), "-E x\r\n");
    assert_eq!(eval(&mut r, "return {ok='fine'}", &["0"]), "+fine\r\n");
    assert_eq!(
        eval(&mut r, "return redis.call('get','nokey')", &["0"]),
        "$-1\r\n"
    );
    assert_eq!(eval(&mut r, "return {double=1.5}", &["0"]), "$3\r\n1.5\r\n");
    r.cmd("HELLO 3");
    assert_eq!(eval(&mut r, "return {double=1.5}", &["0"]), ",1.5\r\n");
    assert_eq!(eval(&mut r, "return false", &["0"]), "_\r\n");
    assert_eq!(
        eval(&mut r, "redis.setresp(3) return false", &["0"]),
        "#f\r\n"
    );
    assert_eq!(
        eval(&mut r, "return {map={a=1}}", &["0"]),
        "%1\r\n$1\r\na\r\n:1\r\n"
    );
    assert_eq!(
        eval(&mut r, "return {set={a=true}}", &["0"]),
        "~1\r\n$1\r\na\r\n"
    );
    r.cmd("HSET h f v");
    assert_eq!(
        eval(
            &mut r,
            "redis.setresp(3) return redis.call('hgetall','h').map.f",
            &["0"]
        ),
        "$1\r\nv\r\n"
    );
    assert_eq!(
        eval(
            &mut r,
            "redis.setresp(3) return redis.call('get','nokey') == nil",
            &["0"]
        ),
        "#t\r\n"
    );
}

#[test]
fn error_texts_word_for_word() {
    let s = Server::start();
    let mut r = s.raw();
    let cases = [
        ("return redis.call('nosuch')", "ERR Unknown Redis command called from script"),
        ("return redis.call('get')", "ERR Wrong number of args calling Redis command from script"),
        ("return redis.call('get', {})", "ERR Lua redis lib command arguments must be strings or integers"),
        ("return redis.call('eval', '', 0)", "ERR This Redis command is not allowed from script"),
        ("error('x')", "ERR user_script:1: x"),
        ("return undeclared", "ERR user_script:1: Script attempted to access nonexistent global variable 'undeclared'"),
        ("x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("string.x = 1", "ERR user_script:1: Attempt to modify a readonly table"),
        ("_G.y = 1", "ERR user_script:1: Attempt to modify a readonly table"),
    ];
    for (script, msg) in cases {
        let sha = sha1_smol::Sha1::from(script).digest().to_string();
        assert_eq!(
            eval(&mut r, script, &["0"]),
            format!("-{msg} script: {sha}, on @user_script:1.\r\n"),
            "{script}"
        );
    }
    assert_eq!(
        eval(&mut r, "return redis.pcall('nosuch')", &["0"]),
        "-ERR Unknown Redis command called from script\r\n"
    );
    assert_eq!(
        eval(
            &mut r,
            "local ok, e = pcall(redis.call, 'nosuch') return e",
            &["0"]
        ),
        "$44\r\nERR Unknown Redis command called from script\r\n"
    );
    assert_eq!(
        eval(&mut r, "KEYS[1] = 'w' return KEYS[1]", &["1", "k"]),
        "$1\r\nw\r\n"
    );
    assert_eq!(
        eval(&mut r, "return loadstring('\\27Lua')", &["0"]),
        "$-1\r\n"
    );
}

#[test]
fn read_only_variants_and_shebang_flags() {
    let s = Server::start();
    let mut r = s.raw();
    let sha = |b: &str| sha1_smol::Sha1::from(b).digest().to_string();
    let body = "return redis.call('set','k','v')";
    let got =
        String::from_utf8_lossy(&r.cmd_args(&[b"EVAL_RO", body.as_bytes(), b"0"])).into_owned();
    assert_eq!(
        got,
        format!("-ERR Write commands are not allowed from read-only scripts. script: {}, on @user_script:1.\r\n", sha(body))
    );
    let body = "#!lua\nreturn 1";
    assert_eq!(
        String::from_utf8_lossy(&r.cmd_args(&[b"EVAL_RO", body.as_bytes(), b"0"])),
        "-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    let body = "#!lua flags=no-writes\nreturn redis.call('get','k')";
    assert_eq!(
        String::from_utf8_lossy(&r.cmd_args(&[b"EVAL_RO", body.as_bytes(), b"0"])),
        "$-1\r\n"
    );
    assert_eq!(
        eval(&mut r, "#!lua flags=bogus\nreturn 1", &["0"]),
        "-ERR Unexpected flag in script shebang: bogus\r\n"
    );
}

#[test]
fn select_in_a_script_does_not_change_the_callers_db() {
    let s = Server::start();
    let mut r = s.raw();
    eval(
        &mut r,
        "redis.call('select', 1) redis.call('set','k','db1')",
        &["0"],
    );
    assert_eq!(r.cmd("GET k"), "$-1\r\n");
    r.cmd("SELECT 1");
    assert_eq!(r.cmd("GET k"), "$3\r\ndb1\r\n");
}

#[test]
fn functions_load_call_list_delete() {
    let s = Server::start();
    let mut r = s.raw();
    let lib = "#!lua name=lib\nredis.register_function('echo', function(keys, args) return {keys[1], args[1]} end)\nredis.register_function{function_name='get', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}";
    assert_eq!(
        r.cmd_args(&[b"FUNCTION", b"LOAD", lib.as_bytes()]),
        b"$3\r\nlib\r\n"
    );
    assert_eq!(r.cmd("FCALL echo 1 k a"), "*2\r\n$1\r\nk\r\n$1\r\na\r\n");
    r.cmd("SET k v");
    assert_eq!(r.cmd("FCALL_RO get 1 k"), "$1\r\nv\r\n");
    assert_eq!(
        r.cmd("FCALL_RO echo 0"),
        "-ERR Can not execute a script with write flag using *_ro command.\r\n"
    );
    assert_eq!(r.cmd("FCALL nosuch 0"), "-ERR Function not found\r\n");
    let dump = r.cmd_args(&[b"FUNCTION", b"DUMP"]);
    let payload = &dump[dump.iter().position(|&b| b == b'\n').unwrap() + 1..dump.len() - 2];
    assert_eq!(r.cmd("FUNCTION DELETE lib"), "+OK\r\n");
    assert_eq!(r.cmd("FCALL echo 0"), "-ERR Function not found\r\n");
    assert_eq!(r.cmd_args(&[b"FUNCTION", b"RESTORE", payload]), b"+OK\r\n");
    assert_eq!(r.cmd("FCALL echo 1 k a"), "*2\r\n$1\r\nk\r\n$1\r\na\r\n");
    assert_eq!(r.cmd("FUNCTION FLUSH"), "+OK\r\n");
    assert_eq!(r.cmd("FUNCTION LIST"), "*0\r\n");
}

/// Waits until a new connection gets `BUSY` for PING.
fn wait_busy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut c = Raw::connect(port);
        let reply = c.cmd("PING");
        if reply.starts_with("-BUSY") {
            return;
        }
        assert!(Instant::now() < deadline, "never busy: {reply}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn script_kill_stops_an_endless_loop_while_others_get_busy() {
    let s = Server::start_with(&["--busy-reply-threshold", "100"]);
    let mut runner = s.raw();
    let mut waiting = s.raw();
    assert_eq!(
        waiting.cmd("SCRIPT KILL"),
        "-NOTBUSY No scripts in execution right now.\r\n"
    );
    let body = "pcall(function() while true do end end) return 'survived'";
    runner.send(&encode(&[b"EVAL", body.as_bytes(), b"0"]));
    wait_busy(s.port);
    assert_eq!(waiting.cmd("GET x"), BUSY);
    assert_eq!(waiting.cmd("FUNCTION KILL"), BUSY);
    let mut killer = s.raw();
    assert_eq!(killer.cmd("SCRIPT KILL"), "+OK\r\n");
    let reply = String::from_utf8_lossy(&runner.read_reply().unwrap()).into_owned();
    assert!(
        reply.starts_with("-ERR Script killed by user with SCRIPT KILL..."),
        "{reply}"
    );
    assert_eq!(waiting.cmd("PING"), "+PONG\r\n");
}

#[test]
fn a_script_that_wrote_is_unkillable_and_shutdown_nosave_ends_it() {
    let mut s = Server::start_with(&["--busy-reply-threshold", "100"]);
    let mut runner = s.raw();
    runner.send(&encode(&[
        b"EVAL",
        b"redis.call('set','w','1') while true do end",
        b"0",
    ]));
    wait_busy(s.port);
    let mut killer = s.raw();
    assert!(killer
        .cmd("SCRIPT KILL")
        .starts_with("-UNKILLABLE Sorry the script already executed write commands"));
    killer.send(b"SHUTDOWN NOSAVE\r\n");
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.is_running() {
        assert!(Instant::now() < deadline, "server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn function_kill_stops_a_function() {
    let s = Server::start_with(&["--busy-reply-threshold", "100"]);
    let mut r = s.raw();
    let lib = "#!lua name=spin\nredis.register_function('spin', function() while true do end end)";
    r.cmd_args(&[b"FUNCTION", b"LOAD", lib.as_bytes()]);
    r.send(b"FCALL spin 0\r\n");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut other = s.raw();
    loop {
        let reply = other.cmd("PING");
        if reply.starts_with("-BUSY") {
            assert!(reply.contains("FUNCTION KILL"), "{reply}");
            break;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(other.cmd("FUNCTION STATS").contains("spin"));
    assert_eq!(other.cmd("FUNCTION KILL"), "+OK\r\n");
    let reply = String::from_utf8_lossy(&r.read_reply().unwrap()).into_owned();
    assert!(
        reply.starts_with("-ERR Script killed by user with FUNCTION KILL..."),
        "{reply}"
    );
}

#[test]
fn an_allocation_bomb_gets_an_error_not_an_oom_server() {
    let s = Server::start();
    let mut c = s.client();
    let bomb = "local ok, e = pcall(function() local t = {} local s = string.rep('x', 65536) local i = 0 while true do i = i + 1 t[i] = s .. i end end) return e";
    let reply: String = redis::cmd("EVAL").arg(bomb).arg(0).query(&mut c).unwrap();
    assert!(reply.contains("not enough memory"), "{reply}");
    let pong: String = redis::cmd("PING").query(&mut c).unwrap();
    assert_eq!(pong, "PONG");
}

#[test]
fn redis_cli_eval_with_keys_and_args() {
    let s = Server::start();
    let dir = std::env::temp_dir().join(format!("ferrous-eval-{}", s.port));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("script.lua");
    std::fs::write(&file, "return {KEYS[1], ARGV[1], #KEYS, #ARGV}\n").unwrap();
    let out = std::process::Command::new("redis-cli")
        .args(["-p", &s.port.to_string(), "--eval"])
        .arg(&file)
        .args(["k1", ",", "a1"])
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(out) = out else {
        println!("NOTICE: redis-cli not installed; --eval test skipped");
        return;
    };
    assert_eq!(String::from_utf8_lossy(&out.stdout), "k1\na1\n1\n1\n");
}
