//! Skeleton integration tests: connection commands, GET/SET, errors, pipelining, RESP3, expiry.

mod common;

use common::Server;

#[test]
fn ping_echo_and_errors() {
    let s = Server::start();
    let mut r = s.raw();
    assert_eq!(r.cmd("PING"), "+PONG\r\n");
    assert_eq!(r.cmd("ping hi"), "$2\r\nhi\r\n");
    assert_eq!(r.cmd("ECHO x"), "$1\r\nx\r\n");
    assert_eq!(
        r.cmd("GET"),
        "-ERR wrong number of arguments for 'get' command\r\n"
    );
    assert_eq!(
        r.cmd("FOO a b"),
        "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n"
    );
}

#[test]
fn get_set_through_redis_crate() {
    let s = Server::start();
    let mut c = s.client();
    let _: () = redis::cmd("SET").arg("k").arg("v").query(&mut c).unwrap();
    let v: String = redis::cmd("GET").arg("k").query(&mut c).unwrap();
    assert_eq!(v, "v");
    let n: Option<String> = redis::cmd("GET").arg("nope").query(&mut c).unwrap();
    assert_eq!(n, None);
}

#[test]
fn pipelining_and_inline() {
    let s = Server::start();
    let mut r = s.raw();
    r.send(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nPING\r\n");
    assert_eq!(r.read_reply().unwrap(), b"+OK\r\n");
    assert_eq!(r.read_reply().unwrap(), b"$1\r\n1\r\n");
    assert_eq!(r.read_reply().unwrap(), b"+PONG\r\n");
}

#[test]
fn protocol_error_closes_connection() {
    let s = Server::start();
    let mut r = s.raw();
    r.send(b"*abc\r\n");
    assert_eq!(
        r.read_reply().unwrap(),
        b"-ERR Protocol error: invalid multibulk length\r\n"
    );
    assert!(r.is_closed());
}

#[test]
fn resp3_after_hello() {
    let s = Server::start();
    let mut r = s.raw();
    let hello = r.cmd("HELLO 3");
    assert!(hello.starts_with("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"));
    assert_eq!(r.cmd("GET nokey"), "_\r\n");
}

#[test]
fn active_expiry_removes_untouched_keys() {
    let s = Server::start();
    let mut r = s.raw();
    r.cmd("SET a 1 PX 50");
    r.cmd("SET b 2");
    std::thread::sleep(std::time::Duration::from_millis(250));
    assert_eq!(r.cmd("DBSIZE"), ":1\r\n");
}
