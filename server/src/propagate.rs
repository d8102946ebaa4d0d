//! Propagation of effects to the AOF and to replicas, as Redis 7.0's `alsoPropagate` /
//! `propagatePendingCommands`: every command run through the dispatcher that changed the dataset
//! (or forced propagation: `PUBLISH`, `FLUSHALL`, `FUNCTION LOAD`...) appends itself — or the argv
//! it rewrote itself to, e.g. a served `BLPOP` as `LPOP` — to the pending list of the execution
//! unit; when the top-level command ends the list goes to the sinks, wrapped in `MULTI`/`EXEC`
//! when it holds more than one command. Scripts and `EXEC` never propagate themselves: their
//! commands do (effects replication), filtered per call by `redis.set_repl`. Each sink sees its own
//! stream and tracks its selected database with [`Selected`], so `SELECT` is emitted when the
//! database changes. Keys deleted by expiry are propagated as `DEL`s: inside the execution unit
//! of the command that found them expired, alone for the active expiry cycle.
//!
//! Key decisions: a command is appended only when some sink consumes one of its targets (Redis's
//! `shouldPropagate`: no AOF and no replica means nothing is recorded), so with no sink the cost
//! per command is two additions and a comparison. No AOF writer or replication link exists yet;
//! the consumer today is the test recorder behind `DEBUG PROPAGATION-LOG` ([`Recorder`]).

use crate::config::D;
use crate::server::Server;

/// Commands never propagated themselves: the commands they run are (`EXEC`, scripts).
pub fn effects_only(name: &str) -> bool {
    matches!(
        name,
        "exec" | "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro"
    )
}

/// Where a command is propagated whenever it succeeds, whatever it changed (Redis's handlers
/// calling `forceCommandPropagation` or bumping `server.dirty` unconditionally): `name` and `sub`
/// are the command and subcommand names.
pub fn always(name: &str, sub: &str) -> u8 {
    match (name, sub) {
        ("flushall" | "flushdb" | "swapdb", _) => target::ALL,
        ("function", "load" | "delete" | "flush" | "restore") => target::ALL,
        ("publish" | "spublish", _) => target::REPL,
        _ => target::NONE,
    }
}

/// Takes the keys the databases deleted by expiry since the last call, as the `DEL` (`UNLINK`
/// with `lazyfree-lazy-expire`) commands that propagate them (`propagateDeletion`).
fn deletions(server: &mut Server) -> Vec<(usize, Vec<Vec<u8>>)> {
    let del = deletion_word(server);
    let mut out = Vec::new();
    for (i, db) in server.dbs.iter_mut().enumerate() {
        for key in db.hooks.expired.drain(..) {
            out.push((i, vec![del.to_vec(), key.to_vec()]));
        }
    }
    out
}

/// Appends the deletions of expired keys to the running execution unit: the dispatcher calls it
/// around each command, so they come before the command that found the keys expired.
pub fn collect_expired(server: &mut Server) {
    if server.dbs.iter().all(|db| db.hooks.expired.is_empty()) {
        return;
    }
    for (db, argv) in deletions(server) {
        server.propagation.also(db, argv, target::ALL);
    }
}

/// Propagates the deletions of keys expired outside any command (the active cycle) one by one,
/// as Redis does: each on its own, not wrapped in `MULTI` with the others.
pub fn expired_alone(server: &mut Server) {
    for (db, argv) in deletions(server) {
        server.propagation.also(db, argv, target::ALL);
        server.propagation.flush();
    }
}

/// The command that propagates a deletion by expiry or by a TTL already past: `UNLINK` with
/// `lazyfree-lazy-expire`, else `DEL`.
pub fn deletion_word(server: &Server) -> &'static [u8] {
    if server.config.flag(D::lazyfree_lazy_expire) {
        b"UNLINK"
    } else {
        b"DEL"
    }
}

/// Makes the databases record expired keys exactly when something consumes the stream; call
/// after attaching or detaching a sink.
pub fn sync_hooks(server: &mut Server) {
    let on = server.propagation.consumed() != 0;
    for db in &mut server.dbs {
        db.hooks.record_expired = on;
        if !on {
            db.hooks.expired.clear();
        }
    }
}

/// Propagation targets (Redis's `PROPAGATE_*`, also `redis.REPL_*` in scripts).
pub mod target {
    /// Nowhere.
    pub const NONE: u8 = 0;
    /// The append-only file.
    pub const AOF: u8 = 1;
    /// Replicas.
    pub const REPL: u8 = 2;
    /// Both.
    pub const ALL: u8 = 3;
}

/// A command waiting to be propagated: database, arguments, targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    /// Database it applies to.
    pub db: usize,
    /// The command.
    pub argv: Vec<Vec<u8>>,
    /// Where it goes (`target::AOF | target::REPL`).
    pub target: u8,
}

/// A consumer of the stream: the AOF writer, the replication backlog, the test recorder.
pub trait Sink {
    /// The targets it consumes.
    fn targets(&self) -> u8;
    /// One command for database `db`; `target` is the part of [`Sink::targets`] it is meant for.
    fn feed(&mut self, db: usize, argv: &[Vec<u8>], target: u8);
}

/// The database a stream selected last: a command for another database is preceded by `SELECT`.
#[derive(Debug, Default)]
pub struct Selected(Option<usize>);

impl Selected {
    /// Emits `argv` for database `db` through `emit`, with a `SELECT` first when the db changes.
    pub fn command(&mut self, db: usize, argv: &[Vec<u8>], mut emit: impl FnMut(&[Vec<u8>])) {
        if self.0 != Some(db) {
            emit(&[b"SELECT".to_vec(), db.to_string().into_bytes()]);
            self.0 = Some(db);
        }
        emit(argv);
    }
}

/// Propagation decisions a command can make while it runs (Redis's `CLIENT_FORCE_*`,
/// `CLIENT_PREVENT_*` flags and `rewriteClientCommandVector`).
#[derive(Debug, Default)]
pub struct CallState {
    force: u8,
    prevent: u8,
    rewrite: Option<Vec<Vec<u8>>>,
}

/// The propagation state of the server.
pub struct Propagation {
    pending: Vec<Op>,
    depth: u32,
    call: CallState,
    /// Targets the commands run now may reach (a script's `redis.set_repl`); `target::ALL`
    /// outside scripts.
    pub allowed: u8,
    sinks: Vec<Box<dyn Sink>>,
    /// The test recorder (`DEBUG PROPAGATION-LOG`), fed like any sink.
    pub recorder: Option<Recorder>,
    /// Commands emitted to the sinks since start (`MULTI`/`EXEC`/`SELECT` excluded).
    pub propagated: u64,
}

impl Default for Propagation {
    fn default() -> Self {
        Propagation {
            pending: Vec::new(),
            depth: 0,
            call: CallState::default(),
            allowed: target::ALL,
            sinks: Vec::new(),
            recorder: None,
            propagated: 0,
        }
    }
}

impl Propagation {
    /// Adds a consumer of the stream.
    pub fn attach(&mut self, sink: Box<dyn Sink>) {
        self.sinks.push(sink);
    }

    /// The targets some sink consumes (Redis's `shouldPropagate`).
    pub fn consumed(&self) -> u8 {
        let mut t = self.recorder.as_ref().map_or(0, |r| r.targets());
        for s in &self.sinks {
            t |= s.targets();
        }
        t
    }

    /// Enters a command (called by the dispatcher before the handler); returns the state of the
    /// enclosing command, to give back to [`Propagation::end`].
    pub fn begin(&mut self) -> CallState {
        self.depth += 1;
        std::mem::take(&mut self.call)
    }

    /// Leaves a command: appends it when it changed the dataset (`dirty`) or forced
    /// propagation, unless it prevented it or is one that propagates through the commands it runs
    /// (`effects_only`: `EXEC`, `EVAL`, `FCALL`...). `db` is the client's database after the
    /// command.
    pub fn end(
        &mut self,
        outer: CallState,
        db: usize,
        argv: &[Vec<u8>],
        dirty: bool,
        effects_only: bool,
    ) {
        self.depth -= 1;
        let call = std::mem::replace(&mut self.call, outer);
        if effects_only {
            return;
        }
        let mut t = if dirty { target::ALL } else { target::NONE };
        t = (t | call.force) & !call.prevent & self.allowed;
        if t != target::NONE {
            let argv = call.rewrite.unwrap_or_else(|| argv.to_vec());
            self.also(db, argv, t);
        }
    }

    /// Propagates the running command to `t` whatever its effects (`forceCommandPropagation`).
    pub fn force(&mut self, t: u8) {
        self.call.force |= t;
    }

    /// Does not propagate the running command itself (`preventCommandPropagation`).
    pub fn prevent(&mut self) {
        self.call.prevent = target::ALL;
    }

    /// Propagates the running command as `argv` instead (`rewriteClientCommandVector`), e.g. a
    /// served `BLPOP` as `LPOP key`.
    pub fn rewrite(&mut self, argv: Vec<Vec<u8>>) {
        self.call.rewrite = Some(argv);
    }

    /// [`Propagation::rewrite`] from words: `propagate_as(&[b"LPOP", key])`.
    pub fn propagate_as(&mut self, words: &[&[u8]]) {
        self.rewrite(words.iter().map(|w| w.to_vec()).collect());
    }

    /// Appends a command to the execution unit (`alsoPropagate`), when some sink wants it.
    pub fn also(&mut self, db: usize, argv: Vec<Vec<u8>>, t: u8) {
        if t & self.consumed() != 0 {
            self.pending.push(Op {
                db,
                argv,
                target: t,
            });
        }
    }

    /// Ends an execution unit (`propagatePendingCommands`): outside any command, sends what it
    /// appended to the sinks — in `MULTI`/`EXEC` when more than one command.
    pub fn flush(&mut self) {
        if self.depth > 0 || self.pending.is_empty() {
            return;
        }
        let ops = std::mem::take(&mut self.pending);
        let wrap = ops.len() > 1;
        if wrap {
            self.emit(ops[0].db, &[b"MULTI".to_vec()], target::ALL);
        }
        for op in &ops {
            self.propagated += 1;
            self.emit(op.db, &op.argv, op.target);
        }
        if wrap {
            let last = ops[ops.len() - 1].db;
            self.emit(last, &[b"EXEC".to_vec()], target::ALL);
        }
    }

    /// Sends one command to every sink consuming one of `t` (`propagateNow`).
    fn emit(&mut self, db: usize, argv: &[Vec<u8>], t: u8) {
        let sinks = self.sinks.iter_mut().map(|s| &mut **s as &mut dyn Sink);
        let recorder = self.recorder.iter_mut().map(|r| r as &mut dyn Sink);
        for sink in sinks.chain(recorder) {
            let mine = sink.targets() & t;
            if mine != 0 {
                sink.feed(db, argv, mine);
            }
        }
    }
}

/// A sink that keeps what it is fed, per target stream, with each stream's `SELECT`s: the test
/// hook behind `DEBUG PROPAGATION-LOG` (ferrous's own; Redis has no such command).
#[derive(Debug, Default)]
pub struct Recorder {
    targets: u8,
    aof: Selected,
    repl: Selected,
    /// What was fed: (target, command), in order.
    pub log: Vec<(u8, Vec<Vec<u8>>)>,
}

impl Recorder {
    /// A recorder consuming `targets`, as if an AOF (`target::AOF`), a replica (`target::REPL`)
    /// or both were attached.
    pub fn new(targets: u8) -> Recorder {
        Recorder {
            targets,
            ..Recorder::default()
        }
    }
}

impl Sink for Recorder {
    fn targets(&self) -> u8 {
        self.targets
    }

    fn feed(&mut self, db: usize, argv: &[Vec<u8>], t: u8) {
        let log = &mut self.log;
        if t & target::AOF != 0 {
            self.aof
                .command(db, argv, |a| log.push((target::AOF, a.to_vec())));
        }
        if t & target::REPL != 0 {
            self.repl
                .command(db, argv, |a| log.push((target::REPL, a.to_vec())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &str) -> Vec<Vec<u8>> {
        words.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    fn log(p: &Propagation) -> Vec<String> {
        let r = p.recorder.as_ref().unwrap();
        r.log
            .iter()
            .map(|(t, a)| {
                let words: Vec<String> = a
                    .iter()
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect();
                format!(
                    "{}:{}",
                    if *t == target::AOF { "aof" } else { "repl" },
                    words.join(" ")
                )
            })
            .collect()
    }

    fn with_recorder(targets: u8) -> Propagation {
        Propagation {
            recorder: Some(Recorder::new(targets)),
            ..Propagation::default()
        }
    }

    /// Runs a top-level command that ran `inner` (db, argv, dirty) nested calls.
    fn run(p: &mut Propagation, db: usize, top: &str, inner: &[(usize, &str, bool)], dirty: bool) {
        let outer = p.begin();
        for (idb, cmd, d) in inner {
            let o = p.begin();
            p.end(o, *idb, &argv(cmd), *d, false);
        }
        p.end(outer, db, &argv(top), dirty, top.starts_with("EXEC"));
        p.flush();
    }

    #[test]
    fn single_write_is_not_wrapped_and_selects_first() {
        let mut p = with_recorder(target::AOF);
        run(&mut p, 0, "SET a 1", &[], true);
        run(&mut p, 0, "GET a", &[], false);
        run(&mut p, 2, "SET b 1", &[], true);
        assert_eq!(
            log(&p),
            ["aof:SELECT 0", "aof:SET a 1", "aof:SELECT 2", "aof:SET b 1"]
        );
    }

    #[test]
    fn transaction_effects_are_wrapped_with_select_inside() {
        let mut p = with_recorder(target::AOF);
        let inner = [
            (0, "SET m 1", true),
            (0, "GET m", false),
            (3, "INCR m", true),
        ];
        run(&mut p, 3, "EXEC", &inner, true);
        assert_eq!(
            log(&p),
            [
                "aof:SELECT 0",
                "aof:MULTI",
                "aof:SET m 1",
                "aof:SELECT 3",
                "aof:INCR m",
                "aof:EXEC"
            ]
        );
    }

    #[test]
    fn nothing_is_recorded_without_a_sink_for_the_target() {
        let mut p = with_recorder(target::AOF);
        let outer = p.begin();
        p.allowed = target::REPL;
        for cmd in ["SET p 1", "SET q 1"] {
            let o = p.begin();
            p.end(o, 0, &argv(cmd), true, false);
        }
        p.allowed = target::ALL;
        p.end(outer, 0, &argv("EVAL"), true, true);
        p.flush();
        assert!(log(&p).is_empty());
    }

    #[test]
    fn forced_prevented_and_rewritten_commands() {
        let mut p = with_recorder(target::ALL);
        let o = p.begin();
        p.force(target::REPL);
        p.end(o, 0, &argv("PUBLISH ch m"), false, false);
        p.flush();
        let o = p.begin();
        p.rewrite(argv("LPOP q"));
        p.end(o, 0, &argv("BLPOP q 0"), true, false);
        p.flush();
        let o = p.begin();
        p.prevent();
        p.end(o, 0, &argv("SET x 1"), true, false);
        p.flush();
        assert_eq!(
            log(&p),
            [
                "repl:SELECT 0",
                "repl:PUBLISH ch m",
                "aof:SELECT 0",
                "aof:LPOP q",
                "repl:LPOP q"
            ]
        );
    }
}
