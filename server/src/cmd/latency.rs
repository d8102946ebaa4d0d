//! Command timing and what it feeds, as Redis 7.0: `INFO commandstats` microseconds, the slow log,
//! the latency monitor (`LATENCY LATEST | HISTORY | RESET | GRAPH | DOCTOR | HELP`,
//! `latency-monitor-threshold`; events `command`, `fast-command`, `expire-cycle`) and per-command
//! latency histograms (`LATENCY HISTOGRAM`, `latency-tracking`, `INFO latencystats`). Key
//! decisions: the dispatcher times each command once and calls [`record_call`]; histograms use
//! the bucket layout of the HdrHistogram Redis embeds (1 ns resolution, two significant figures:
//! 128 linear sub-buckets per power of two), so the `histogram_usec` points and percentiles are
//! Redis's numbers; a blocked command is recorded when it is served.

use super::errors::CmdError;
use super::table::{table, Command};
use super::{CmdResult, Ctx};
use crate::config::D;
use crate::net::client::ClientState;
use crate::server::Server;
use std::collections::HashMap;

/// Samples kept per event (`LATENCY_TS_LEN`).
const SERIES_LEN: usize = 160;
/// Columns of `LATENCY GRAPH`.
const GRAPH_COLS: usize = 80;

/// One latency event's samples (at most one per second, the worst) and its all-time maximum.
#[derive(Debug, Default)]
struct Series {
    samples: std::collections::VecDeque<(i64, u64)>,
    max: u64,
}

/// Latency monitor events and per-command histograms.
#[derive(Debug, Default)]
pub struct Latency {
    events: Vec<(String, Series)>,
    /// Histograms of commands without subcommands, by table id.
    by_id: Vec<Option<Box<Histogram>>>,
    /// Histograms of subcommands, by full name (`config|get`).
    by_sub: HashMap<String, Box<Histogram>>,
}

/// A latency histogram with HdrHistogram's bucket layout (values in nanoseconds, 1024 to 10^9).
#[derive(Debug)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
}

/// Smallest and largest recorded values (ns), as Redis clamps them.
const HIST_MIN: u64 = 1024;
const HIST_MAX: u64 = 1_000_000_000;

impl Histogram {
    fn new() -> Histogram {
        Histogram {
            counts: vec![0; index_of(HIST_MAX) + 1],
            total: 0,
        }
    }

    fn record(&mut self, ns: u64) {
        let i = index_of(ns.clamp(HIST_MIN, HIST_MAX));
        self.counts[i] += 1;
        self.total += 1;
    }

    /// `(micros, cumulative count)` at each power-of-two level from 1024 ns on, where the count
    /// grew (Redis's `fillCommandCDF`).
    fn cdf(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let (mut level, mut cumulative, mut i) = (HIST_MIN, 0, 0);
        while cumulative < self.total && level <= HIST_MAX * 2 {
            let last = index_of(level);
            while i <= last && i < self.counts.len() {
                cumulative += self.counts[i];
                i += 1;
            }
            if out.last().is_none_or(|p: &(u64, u64)| p.1 < cumulative) && cumulative > 0 {
                out.push((highest_equivalent(level) / 1000, cumulative));
            }
            level *= 2;
        }
        out
    }

    /// The value (ns) at percentile `p` (HdrHistogram's `hdr_value_at_percentile`).
    fn percentile(&self, p: f64) -> u64 {
        let wanted = ((p.min(100.0) / 100.0 * self.total as f64) + 0.5) as u64;
        let wanted = wanted.max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= wanted {
                return highest_equivalent(value_at(i));
            }
        }
        0
    }
}

/// Width of the bucket holding `v`: 1 below 256, then doubling per power of two.
fn shift_of(v: u64) -> u32 {
    (63 - (v | 255).leading_zeros()).saturating_sub(7)
}

fn index_of(v: u64) -> usize {
    let s = shift_of(v);
    ((s as usize) << 7) + (v >> s) as usize
}

fn value_at(i: usize) -> u64 {
    if i < 256 {
        return i as u64;
    }
    let s = (i >> 7) - 1;
    ((i - (s << 7)) as u64) << s
}

fn highest_equivalent(v: u64) -> u64 {
    let s = shift_of(v);
    ((v >> s) << s) + (1u64 << s) - 1
}

/// Records a finished command that ran `micros` µs: commandstats time, latency histogram, latency
/// event (`command` / `fast-command`), slow log.
pub fn record_call(
    server: &mut Server,
    client: &ClientState,
    ids: (usize, &'static Command),
    argv: &[Vec<u8>],
    micros: u64,
) {
    let (id, cmd) = ids;
    server.stats.usec[id] += micros;
    if server.config.flag(D::latency_tracking) {
        histogram_for(&mut server.latency, id, cmd).record(micros.saturating_mul(1000));
    }
    let ms = micros / 1000;
    let threshold = server.config.int(D::latency_monitor_threshold);
    if threshold > 0 && ms as i64 >= threshold {
        let fast = cmd.flags.split_ascii_whitespace().any(|f| f == "fast");
        let event = if fast { "fast-command" } else { "command" };
        add_sample_if_needed(server, event, ms);
    }
    super::slowlog::record(server, client, cmd, argv, micros);
}

fn histogram_for<'a>(l: &'a mut Latency, id: usize, cmd: &'static Command) -> &'a mut Histogram {
    let top = table().order[id];
    if std::ptr::eq(top, cmd) {
        if l.by_id.len() <= id {
            l.by_id.resize_with(id + 1, || None);
        }
        return l.by_id[id].get_or_insert_with(|| Box::new(Histogram::new()));
    }
    l.by_sub
        .entry(format!("{}|{}", top.name, cmd.name))
        .or_insert_with(|| Box::new(Histogram::new()))
}

/// Adds a latency sample (ms) for `event` when it reaches `latency-monitor-threshold` (Redis's
/// `latencyAddSampleIfNeeded`).
pub fn add_sample_if_needed(server: &mut Server, event: &str, ms: u64) {
    let threshold = server.config.int(D::latency_monitor_threshold);
    if threshold == 0 || (ms as i64) < threshold {
        return;
    }
    let now = crate::db::clock::system_ms() / 1000;
    let events = &mut server.latency.events;
    let i = match events.iter().position(|e| e.0 == event) {
        Some(i) => i,
        None => {
            events.push((event.to_string(), Series::default()));
            events.len() - 1
        }
    };
    let s = &mut events[i].1;
    s.max = s.max.max(ms);
    match s.samples.back_mut() {
        Some(last) if last.0 == now => last.1 = last.1.max(ms),
        _ => {
            if s.samples.len() == SERIES_LEN {
                s.samples.pop_front();
            }
            s.samples.push_back((now, ms));
        }
    }
}

macro_rules! sub {
    ($name:literal, $arity:expr, $flags:literal, $($rest:tt)*) => {
        super::table::command!("server"; $name, $arity, $flags, (0, 0, 0), $($rest)*)
    };
}

#[rustfmt::skip]
static SUBCOMMANDS: &[Command] = &[
    sub!("latest", 2, "admin noscript loading stale", "admin slow dangerous", "2.8.13", "Return the latest latency samples for all events.", "O(1)", latency_latest),
    sub!("history", 3, "admin noscript loading stale", "admin slow dangerous", "2.8.13", "Return timestamp-latency samples for the event.", "O(1)", latency_history),
    sub!("reset", -2, "admin noscript loading stale", "admin slow dangerous", "2.8.13", "Reset latency data for one or more events.", "O(1)", latency_reset),
    sub!("doctor", 2, "admin noscript loading stale", "admin slow dangerous", "2.8.13", "Return a human readable latency analysis report.", "O(1)", latency_doctor),
    sub!("graph", 3, "admin noscript loading stale", "admin slow dangerous", "2.8.13", "Return a latency graph for the event.", "O(1)", latency_graph),
    sub!("histogram", -2, "admin noscript loading stale", "admin slow dangerous", "7.0.0", "Return the cumulative distribution of latencies of a subset of commands or all.", "O(N) where N is the number of commands with latency information being retrieved.", latency_histogram),
    sub!("help", 2, "loading stale", "slow", "2.8.13", "Show helpful text about the different subcommands.", "O(1)", latency_help),
];

/// `LATENCY`.
#[rustfmt::skip]
pub static COMMANDS: &[Command] = &[
    Command { name: "latency", arity: -2, acl: "slow", group: "server", since: "2.8.13", summary: "A container for latency diagnostics commands", complexity: "Depends on subcommand.", subcommands: SUBCOMMANDS, ..Command::DEFAULT },
];

fn series<'a>(server: &'a Server, event: &[u8]) -> Option<(&'a str, &'a Series)> {
    server
        .latency
        .events
        .iter()
        .find(|e| e.0.as_bytes() == event)
        .map(|e| (e.0.as_str(), &e.1))
}

fn latency_latest(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    let events = &cx.server.latency.events;
    cx.out.array(events.len());
    for (name, s) in events {
        let (time, ms) = s.samples.back().copied().unwrap_or((0, 0));
        cx.out.array(4);
        cx.out.bulk(name.as_bytes());
        cx.out.int(time);
        cx.out.int(ms as i64);
        cx.out.int(s.max as i64);
    }
    Ok(())
}

fn latency_history(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let samples: Vec<(i64, u64)> = series(cx.server, &argv[2])
        .map(|(_, s)| s.samples.iter().copied().collect())
        .unwrap_or_default();
    cx.out.array(samples.len());
    for (time, ms) in samples {
        cx.out.array(2);
        cx.out.int(time);
        cx.out.int(ms as i64);
    }
    Ok(())
}

fn latency_reset(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let events = &mut cx.server.latency.events;
    let before = events.len();
    if argv.len() == 2 {
        events.clear();
    } else {
        events.retain(|e| {
            !argv[2..]
                .iter()
                .any(|a| a.eq_ignore_ascii_case(e.0.as_bytes()))
        });
    }
    cx.out.int((before - events.len()) as i64);
    Ok(())
}

fn latency_graph(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let Some((name, s)) = series(cx.server, &argv[2]) else {
        return Err(CmdError::owned(format!(
            "ERR No samples available for event '{}'",
            String::from_utf8_lossy(&argv[2])
        )));
    };
    let now = crate::db::clock::system_ms() / 1000;
    let points: Vec<(u64, String)> = s
        .samples
        .iter()
        .map(|&(time, ms)| (ms, age_label(now - time)))
        .collect();
    let high = points.iter().map(|p| p.0).max().unwrap_or(0);
    let low = points.iter().map(|p| p.0).min().unwrap_or(0);
    let mut graph = format!(
        "{name} - high {high} ms, low {low} ms (all time high {} ms)\n{}\n",
        s.max,
        "-".repeat(GRAPH_COLS)
    );
    for (n, chunk) in points.chunks(GRAPH_COLS).enumerate() {
        if n > 0 {
            graph.push('\n');
        }
        sparkline(&mut graph, chunk, (low, high));
    }
    cx.out.verbatim("txt", graph.as_bytes());
    Ok(())
}

/// How long ago, as `LATENCY GRAPH` labels samples: `12s`, `5m`, `3h`, `2d`.
fn age_label(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}

/// Redis's filled sparkline (`sparklineRenderRange`): 4 rows of `_o#` steps (`|` below the top
/// step), then a blank line and the labels written vertically.
fn sparkline(out: &mut String, points: &[(u64, String)], range: (u64, u64)) {
    const ROWS: usize = 4;
    const CHARS: &[u8] = b"_o#";
    let steps = (CHARS.len() * ROWS) as f64;
    let relmax = (range.1 - range.0).max(1) as f64;
    let step_of = |v: u64| -> usize {
        let relval = (v - range.0) as f64;
        let step = ((relval * steps) as i64 as f64 / relmax) as i64;
        step.clamp(0, steps as i64 - 1) as usize
    };
    for row in 0..ROWS {
        let line: String = points
            .iter()
            .map(|p| {
                let idx = step_of(p.0) as i64 - ((ROWS - row - 1) * CHARS.len()) as i64;
                match idx {
                    i if i < 0 => ' ',
                    i if (i as usize) < CHARS.len() => CHARS[i as usize] as char,
                    _ => '|',
                }
            })
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&" ".repeat(points.len()));
    out.push('\n');
    let longest = points.iter().map(|p| p.1.len()).max().unwrap_or(0);
    for c in 0..longest {
        let line: String = points
            .iter()
            .map(|p| p.1.as_bytes().get(c).map_or(' ', |&b| b as char))
            .collect();
        out.push_str(&line);
        out.push('\n');
    }
}

fn latency_doctor(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    let report = super::latency_report::report(cx.server);
    cx.out.verbatim("txt", report.as_bytes());
    Ok(())
}

/// Average, mean absolute deviation and period (seconds since the oldest sample, at least 1) of an
/// event's samples (Redis's `analyzeLatencyForEvent`).
pub(crate) fn analyze(server: &Server, i: usize) -> (usize, u64, u64, i64, u64) {
    let s = &server.latency.events[i].1;
    let n = s.samples.len();
    if n == 0 {
        return (0, 0, 0, 0, s.max);
    }
    let avg = s.samples.iter().map(|x| x.1).sum::<u64>() / n as u64;
    let oldest = s.samples.iter().map(|x| x.0).min().unwrap_or(0);
    let period = (crate::db::clock::system_ms() / 1000 - oldest).max(1);
    let mad = s.samples.iter().map(|x| x.1.abs_diff(avg)).sum::<u64>() / n as u64;
    (n, avg, mad, period, s.max)
}

/// Names of the events recorded, in first-seen order.
pub(crate) fn event_names(server: &Server) -> Vec<String> {
    server.latency.events.iter().map(|e| e.0.clone()).collect()
}

/// Adds the histograms of command `id` and of its subcommands to `found`.
fn add_command<'a>(lat: &'a Latency, found: &mut Vec<(String, &'a Histogram)>, id: usize) {
    let top = table().order[id];
    if let Some(Some(h)) = lat.by_id.get(id) {
        found.push((top.name.to_string(), h));
    }
    for sub in top.subcommands {
        let full = format!("{}|{}", top.name, sub.name);
        if let Some(h) = lat.by_sub.get(&full) {
            found.push((full, h));
        }
    }
}

fn latency_histogram(cx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let t = table();
    let mut found: Vec<(String, &Histogram)> = Vec::new();
    let lat = &cx.server.latency;
    if argv.len() == 2 {
        (0..t.order.len()).for_each(|id| add_command(lat, &mut found, id));
    } else {
        for a in &argv[2..] {
            let text = String::from_utf8_lossy(a).to_ascii_lowercase();
            match text.split_once('|') {
                Some((_, _)) => {
                    if let Some(h) = lat.by_sub.get(&text) {
                        found.push((text.clone(), h));
                    }
                }
                None => {
                    if let Some(e) = t.lookup(a) {
                        add_command(lat, &mut found, e.id);
                    }
                }
            }
        }
    }
    cx.out.map(found.len());
    for (name, h) in found {
        cx.out.bulk(name.as_bytes());
        cx.out.map(2);
        cx.out.bulk(b"calls");
        cx.out.int(h.total as i64);
        cx.out.bulk(b"histogram_usec");
        let cdf = h.cdf();
        cx.out.map(cdf.len());
        for (us, n) in cdf {
            cx.out.int(us as i64);
            cx.out.int(n as i64);
        }
    }
    Ok(())
}

/// The `# Latencystats` lines: per command with a histogram, the configured percentiles in µs
/// (none while `latency-tracking` is off).
pub fn info_latencystats(server: &Server, t: &mut String) {
    if !server.config.flag(D::latency_tracking) {
        return;
    }
    let percentiles = parse_percentiles(server.config.text(D::latency_tracking_info_percentiles))
        .unwrap_or_default();
    let tbl = table();
    let mut line = |name: &str, h: &Histogram| {
        let parts: Vec<String> = percentiles
            .iter()
            .map(|&p| format!("p{}={:.3}", p, h.percentile(p) as f64 / 1000.0))
            .collect();
        t.push_str(&format!(
            "latency_percentiles_usec_{name}:{}\r\n",
            parts.join(",")
        ));
    };
    for (id, top) in tbl.order.iter().enumerate() {
        if let Some(Some(h)) = server.latency.by_id.get(id) {
            line(top.name, h);
        }
        for sub in top.subcommands {
            let full = format!("{}|{}", top.name, sub.name);
            if let Some(h) = server.latency.by_sub.get(&full) {
                line(&full, h);
            }
        }
    }
}

/// Parses `latency-tracking-info-percentiles` (space-separated numbers in 0..=100), with Redis's
/// errors.
pub fn parse_percentiles(text: &str) -> Result<Vec<f64>, &'static str> {
    text.split_ascii_whitespace()
        .map(|w| {
            let v: f64 = w
                .parse()
                .map_err(|_| "Invalid latency-tracking-info-percentiles parameters")?;
            if !(0.0..=100.0).contains(&v) {
                return Err(
                    "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
                );
            }
            Ok(v)
        })
        .collect()
}

/// Clears every histogram (`CONFIG RESETSTAT`).
pub fn reset_histograms(server: &mut Server) {
    server.latency.by_id.clear();
    server.latency.by_sub.clear();
}

fn latency_help(cx: &mut Ctx, _argv: &[Vec<u8>]) -> CmdResult {
    let lines = [
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        "HELP",
        "    Prints this help.",
    ];
    cx.out.simple_lines(&lines);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_match_hdr_histogram() {
        assert_eq!(highest_equivalent(1000), 1003);
        assert_eq!(highest_equivalent(7000), 7007);
        assert_eq!(highest_equivalent(1024) / 1000, 1);
        assert_eq!(highest_equivalent(32768) / 1000, 33);
        assert_eq!(highest_equivalent(1 << 29) / 1000, 541065);
        for v in [0u64, 255, 256, 1000, 4096, 123456, 1 << 29] {
            assert!(value_at(index_of(v)) <= v && highest_equivalent(v) >= v);
        }
        let mut h = Histogram::new();
        h.record(7000);
        h.record(9000);
        assert_eq!(h.percentile(50.0), 7007);
        assert_eq!(h.percentile(99.0), 9023);
        assert_eq!(h.cdf(), vec![(8, 1), (16, 2)]);
    }
}
