//! `DEBUG`, as Redis offers it behind `enable-debug-command`: SLEEP, SET-ACTIVE-EXPIRE, OBJECT,
//! CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, LISTPACK, STRINGMATCH-TEST, DIGEST, DIGEST-VALUE,
//! RELOAD, HELP, and ferrous's own PROPAGATION-LOG (the test hook on the AOF/replication stream,
//! see [`propagation_log`]). Key decisions: with no persistence yet, `RELOAD` ("save, flush, load back") leaves
//! the data as it is and answers `OK`, which is what a correct save/load round trip produces; the
//! digests follow Redis 7.0's SHA1 mixing (`debug.c`) step for step, so they equal redis-server's
//! for the same dataset (zeros when empty).

use super::errors::{self, CmdError};
use super::{CmdResult, Ctx};
use crate::config::D;
use crate::db::{glob::glob_match, Db, Value};

/// The DEBUG command handler.
pub fn debug(cx: &mut Ctx, args: &[Vec<u8>]) -> CmdResult {
    let mode = cx.server.config.text(D::enable_debug_command);
    let local = cx.client.addr.starts_with("127.") || cx.client.addr.starts_with("[::1]");
    if mode == "no" || (mode == "local" && !local) {
        return Err(CmdError::fixed("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."));
    }
    let sub = &args[1];
    let is = |w: &str| sub.eq_ignore_ascii_case(w.as_bytes());
    let n = args.len();
    if is("SLEEP") && n == 3 {
        let secs = atof(&args[2]);
        std::thread::sleep(std::time::Duration::from_secs_f64(secs.max(0.0)));
        cx.out.ok();
    } else if is("SET-ACTIVE-EXPIRE") && n == 3 {
        cx.server.active_expire = atof(&args[2]) as i64 != 0;
        cx.out.ok();
    } else if is("OBJECT") && n == 3 {
        object(cx, &args[2])?;
    } else if is("CHANGE-REPL-ID") && n == 2 {
        cx.server.run_id = crate::server::random_hex(40);
        cx.out.ok();
    } else if is("QUICKLIST-PACKED-THRESHOLD") && n == 3 {
        crate::config::parse_memory(&String::from_utf8_lossy(&args[2]))
            .filter(|&n| n <= 4 << 30)
            .ok_or(CmdError::fixed(
                "ERR argument must be a memory value bigger than 1 and smaller than 4gb",
            ))?;
        cx.out.ok();
    } else if is("LISTPACK") && n == 3 {
        let (db, out) = cx.db_out();
        let e = db.entry(&args[2]).ok_or(errors::NO_SUCH_KEY)?;
        if e.value.encoding() != "listpack" {
            return Err(CmdError::fixed("ERR Not a listpack encoded object."));
        }
        out.simple("Listpack structure printed on stdout");
    } else if is("STRINGMATCH-TEST") && n == 2 {
        stringmatch_fuzz();
        cx.out.simple("Apparently Redis did not crash: test passed");
    } else if is("DIGEST") && n == 2 {
        let d = dataset_digest(&cx.server.dbs);
        cx.out.simple(&hex(&d));
    } else if is("DIGEST-VALUE") && n >= 2 {
        digest_values(cx, &args[2..]);
    } else if is("PROPAGATION-LOG") && n == 3 {
        propagation_log(cx, &args[2])?;
    } else if is("RELOAD") {
        // The flush of a real reload tells tracking clients that every key is invalid.
        super::tracking::on_flush(cx.server);
        cx.out.ok();
    } else if is("HELP") {
        help(cx);
    } else {
        return Err(CmdError::owned(format!(
            "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
            errors::truncate_lossy(sub, 128)
        )));
    }
    Ok(())
}

/// `DEBUG PROPAGATION-LOG AOF|REPL|ALL|OFF|GET` (ferrous only): `AOF`, `REPL` or `ALL` attach a
/// recorder to the propagation stream as an AOF, a replica or both would be (so commands for
/// targets nobody consumes are dropped, as in Redis), `OFF` detaches it, `GET` returns what it
/// recorded since the last `GET` — one array per command, the stream's name (`aof` or `repl`)
/// first, `SELECT`/`MULTI`/`EXEC` included — and clears it.
fn propagation_log(cx: &mut Ctx, word: &[u8]) -> CmdResult {
    use crate::propagate::{target, Recorder};
    let is = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
    let targets = if is("AOF") {
        target::AOF
    } else if is("REPL") {
        target::REPL
    } else if is("ALL") {
        target::ALL
    } else if is("OFF") {
        target::NONE
    } else if is("GET") {
        let log = cx
            .server
            .propagation
            .recorder
            .as_mut()
            .map(|r| std::mem::take(&mut r.log))
            .unwrap_or_default();
        cx.out.array(log.len());
        for (t, argv) in log {
            cx.out.array(argv.len() + 1);
            cx.out.bulk(if t == target::AOF { b"aof" } else { b"repl" });
            for a in argv {
                cx.out.bulk(&a);
            }
        }
        return Ok(());
    } else {
        return Err(errors::SYNTAX);
    };
    cx.server.propagation.recorder = (targets != target::NONE).then(|| Recorder::new(targets));
    crate::propagate::sync_hooks(cx.server);
    cx.out.ok();
    Ok(())
}

/// C's `atof`/`atoi` leniency (DEBUG parses its numbers so): the longest numeric prefix, 0 when none.
fn atof(arg: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(&arg[..arg.len().min(64)]);
    let text = text.trim_start();
    (1..=text.len())
        .rev()
        .filter(|&n| text.is_char_boundary(n))
        .find_map(|n| text[..n].parse::<f64>().ok().filter(|v| !v.is_nan()))
        .unwrap_or(0.0)
}

fn object(cx: &mut Ctx, key: &[u8]) -> CmdResult {
    let (db, out) = cx.db_out();
    let e = db.entry(key).ok_or(errors::NO_SUCH_KEY)?;
    let idle = crate::db::clock::lru_clock().saturating_sub(e.lru);
    let text = format!(
        "Value at:0x{:x} refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
        e as *const _ as usize,
        e.value.encoding(),
        serialized_len(&e.value),
        e.lru & 0xff_ffff,
        idle
    );
    out.simple(&text);
    Ok(())
}

fn serialized_len(v: &Value) -> usize {
    match v {
        Value::Str(s) => s.len() + 1,
        other => 1 + 8 * other.encoding().len(),
    }
}

/// Runs the glob matcher over random short patterns and strings (it must not panic or hang).
fn stringmatch_fuzz() {
    const ALPHABET: &[u8] = b"ab*?[]^-\\";
    let pick = |len: usize| -> Vec<u8> {
        (0..crate::db::random_index(len + 1))
            .map(|_| ALPHABET[crate::db::random_index(ALPHABET.len())])
            .collect()
    };
    for _ in 0..100_000 {
        let (p, s) = (pick(10), pick(10));
        glob_match(&p, &s, false);
    }
}

/// A 160-bit signature.
type Digest = [u8; 20];

fn sha1(data: &[u8]) -> Digest {
    sha1_smol::Sha1::from(data).digest().bytes()
}

/// Redis's `xorDigest`: XORs the SHA1 of `data` into `digest` (order-independent "addition").
fn xor_digest(digest: &mut Digest, data: &[u8]) {
    let h = sha1(data);
    digest.iter_mut().zip(h).for_each(|(a, b)| *a ^= b);
}

/// Redis's `mixDigest`: XORs the SHA1 of `data` in, then replaces `digest` by its own SHA1 (order
/// matters).
fn mix_digest(digest: &mut Digest, data: &[u8]) {
    xor_digest(digest, data);
    *digest = sha1(digest);
}

/// Redis's object type numbers (`OBJ_STRING`...), hashed big-endian.
fn type_code(v: &Value) -> u32 {
    match v {
        Value::Str(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
    }
}

/// The digest of a pair (hash field and value, sorted set member and score): both mixed into a
/// zeroed digest, so the pair is ordered but pairs are not.
fn pair_digest(a: &[u8], b: &[u8]) -> Digest {
    let mut d = [0u8; 20];
    mix_digest(&mut d, a);
    mix_digest(&mut d, b);
    d
}

/// Redis's `xorObjectDigest`: mixes the type, then the value (strings and list elements mixed in
/// order; set members, hash pairs and sorted set pairs XORed), then marks a TTL.
fn object_digest(digest: &mut Digest, value: &Value, has_ttl: bool) {
    mix_digest(digest, &type_code(value).to_be_bytes());
    match value {
        Value::Str(s) => mix_digest(digest, s),
        Value::List(l) => l
            .iter_from(crate::db::list::End::Head)
            .for_each(|(_, el)| mix_digest(digest, el)),
        Value::Set(s) => s.iter().for_each(|m| xor_digest(digest, &m.to_vec())),
        Value::Hash(h) => h
            .iter()
            .for_each(|(f, v)| xor_digest(digest, &pair_digest(f, v))),
        Value::ZSet(z) => z.iter().for_each(|(m, score)| {
            let text = crate::resp::double::format_double(score);
            xor_digest(digest, &pair_digest(m, text.as_bytes()))
        }),
    }
    if has_ttl {
        xor_digest(digest, b"!!expire!!");
    }
}

/// Redis's `computeDatasetDigest`: per non-empty database, its index is mixed into the result, then
/// each key's digest (key mixed, then its object digest) is XORed in. Logically expired keys not yet
/// removed count, as in Redis. All zeros when every database is empty.
fn dataset_digest(dbs: &[Db]) -> Digest {
    let mut out = [0u8; 20];
    for (i, db) in dbs.iter().enumerate() {
        if db.stored_len() == 0 {
            continue;
        }
        mix_digest(&mut out, &(i as u32).to_be_bytes());
        for (k, e, expire_at) in db.stored_entries() {
            let mut d = [0u8; 20];
            mix_digest(&mut d, k);
            object_digest(&mut d, &e.value, expire_at != 0);
            xor_digest(&mut out, &d);
        }
    }
    out
}

/// `DEBUG DIGEST-VALUE`: each key's object digest (zeros for a missing key; logically expired keys
/// count, as in Redis).
fn digest_values(cx: &mut Ctx, keys: &[Vec<u8>]) {
    let (db, out) = cx.db_out();
    out.array(keys.len());
    for k in keys {
        let mut d = [0u8; 20];
        if let Some(e) = db.peek_entry(k) {
            object_digest(&mut d, &e.value, e.has_ttl());
        }
        out.simple(&hex(&d));
    }
}

fn hex(d: &Digest) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn help(cx: &mut Ctx) {
    let lines = [
        "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANGE-REPL-ID",
        "    Change the replication IDs of the instance.",
        "    Dangerous: should be used only for testing the replication subsystem.",
        "DIGEST",
        "    Output a hex signature representing the current DB content.",
        "DIGEST-VALUE <key> [<key> ...]",
        "    Output a hex signature of the values of all the specified keys.",
        "LISTPACK <key>",
        "    Show low level info about the listpack encoding of <key>.",
        "OBJECT <key>",
        "    Show low level info about `key` and associated value.",
        "QUICKLIST-PACKED-THRESHOLD <size>",
        "    Sets the threshold for elements to be inserted as plain vs packed nodes",
        "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
        "RELOAD [option ...]",
        "    Save the RDB on disk and reload it back to memory (no persistence in ferrous: the data",
        "    is left as it is).",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        "STRINGMATCH-TEST",
        "    Run a fuzz tester against the stringmatchlen() function.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_dataset_digest_is_zeros_and_values_match_redis() {
        assert_eq!(hex(&dataset_digest(&[Db::new()])), "0".repeat(40));
        let mut d = [0u8; 20];
        object_digest(&mut d, &Value::str(b"v"), false);
        assert_eq!(hex(&d), "d79ee9fe5d5ad902d7f6620efc3b07b75ddd742f");
    }
}
