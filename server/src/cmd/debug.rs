//! `DEBUG`, as Redis offers it behind `enable-debug-command`: SLEEP, SET-ACTIVE-EXPIRE, OBJECT,
//! CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, LISTPACK, STRINGMATCH-TEST, DIGEST, DIGEST-VALUE,
//! RELOAD, HELP. Key decisions: with no persistence yet, `RELOAD` ("save, flush, load back") leaves
//! the data as it is and answers `OK`, which is what a correct save/load round trip produces; the
//! digests are order-independent 160-bit signatures of the dataset (all zeros when empty, equal for
//! equal contents) but not the SHA1 values redis-server prints.

use super::errors::{self, CmdError};
use super::{CmdResult, Ctx};
use crate::config::D;
use crate::db::{glob::glob_match, Db, Entry, Value};

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
    } else if is("RELOAD") {
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

/// Three seeded FNV-1a lanes over `parts` (with lengths, so part boundaries count).
fn digest_of(parts: &[&[u8]]) -> Digest {
    let mut out = [0u8; 20];
    for (lane, chunk) in out.chunks_mut(8).enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (lane as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for p in parts {
            for &b in (p.len() as u64).to_le_bytes().iter().chain(p.iter()) {
                h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        let bytes = h.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    out
}

fn xor_into(acc: &mut Digest, d: &Digest) {
    acc.iter_mut().zip(d).for_each(|(a, b)| *a ^= b);
}

/// The signature of one value: element order counts for strings and lists only.
fn value_digest(v: &Value) -> Digest {
    let mut acc = digest_of(&[v.type_name().as_bytes()]);
    let mut ordered = Vec::new();
    match v {
        Value::Str(s) => ordered.push(digest_of(&[s])),
        Value::List(l) => {
            for (i, e) in l.iter_from(crate::db::list::End::Head) {
                ordered.push(digest_of(&[&i.to_le_bytes(), e]));
            }
        }
        Value::Set(s) => s
            .iter()
            .for_each(|m| ordered.push(digest_of(&[&m.to_vec()]))),
        Value::Hash(h) => h.iter().for_each(|(f, v)| ordered.push(digest_of(&[f, v]))),
        Value::ZSet(z) => z
            .iter()
            .for_each(|(m, s)| ordered.push(digest_of(&[m, &s.to_bits().to_le_bytes()]))),
    }
    ordered.iter().for_each(|d| xor_into(&mut acc, d));
    acc
}

fn entry_digest(db_index: usize, key: &[u8], e: &Entry, expire_at: i64) -> Digest {
    let v = value_digest(&e.value);
    digest_of(&[&db_index.to_le_bytes(), key, &v, &expire_at.to_le_bytes()])
}

/// The signature of every live key of every database (zeros when all are empty).
fn dataset_digest(dbs: &[Db]) -> Digest {
    let mut acc = [0u8; 20];
    for (i, db) in dbs.iter().enumerate() {
        for (k, e, at) in db.keys() {
            xor_into(&mut acc, &entry_digest(i, k, e, at));
        }
    }
    acc
}

fn digest_values(cx: &mut Ctx, keys: &[Vec<u8>]) {
    let (db, out) = cx.db_out();
    out.array(keys.len());
    for k in keys {
        let d = db.entry(k).map_or([0u8; 20], |e| value_digest(&e.value));
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
    cx.out.array(lines.len());
    for l in lines {
        cx.out.simple(l);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_ignore_set_order_but_not_content() {
        let a = Value::str(b"x");
        let b = Value::str(b"y");
        assert_ne!(value_digest(&a), value_digest(&b));
        let mut d1 = [0u8; 20];
        let mut d2 = [0u8; 20];
        xor_into(&mut d1, &digest_of(&[b"1"]));
        xor_into(&mut d1, &digest_of(&[b"2"]));
        xor_into(&mut d2, &digest_of(&[b"2"]));
        xor_into(&mut d2, &digest_of(&[b"1"]));
        assert_eq!(d1, d2);
        assert_eq!(hex(&dataset_digest(&[Db::new()])), "0".repeat(40));
    }
}
