//! `LATENCY DOCTOR`: Redis 7.0's human-readable report, worded as Redis words it — one line per
//! recorded event (spikes, average, mean deviation, period, worst), then the advice each kind of
//! event calls for (the events ferrous records: `command`, `fast-command`, `expire-cycle`), and the
//! transparent huge pages warning when the process uses anonymous huge pages.

use super::latency::{analyze, event_names};
use crate::config::D;
use crate::server::Server;

/// Advice flags collected while listing the events.
#[derive(Default)]
struct Advice {
    slowlog_enabled: bool,
    slowlog_tuning: bool,
    slowlog_inspect: bool,
    scheduler: bool,
    hz: bool,
    large_objects: bool,
    disable_thp: bool,
    count: usize,
}

/// The report text.
pub fn report(server: &Server) -> String {
    let threshold = server.config.int(D::latency_monitor_threshold);
    let names = event_names(server);
    if names.is_empty() && threshold == 0 {
        return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n".to_string();
    }
    let mut out = String::new();
    let mut a = Advice::default();
    for (i, name) in names.iter().enumerate() {
        if i == 0 {
            out.push_str("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        }
        let (n, avg, mad, period, max) = analyze(server, i);
        out.push_str(&format!(
            "{}. {name}: {n} latency spikes (average {avg}ms, mean deviation {mad}ms, period {:.2} sec). Worst all time event {max}ms.\n",
            i + 1,
            period as f64 / n.max(1) as f64
        ));
        event_advice(server, name, &mut a);
    }
    if anon_huge_pages() > 0 {
        a.disable_thp = true;
        a.count += 1;
    }
    if names.is_empty() && a.count == 0 {
        out.push_str("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
    } else if a.count == 0 {
        out.push_str("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
    } else {
        advice_text(server, &a, &mut out);
    }
    out
}

fn event_advice(server: &Server, name: &str, a: &mut Advice) {
    let threshold = server.config.int(D::latency_monitor_threshold);
    match name {
        "command" => {
            let slower = server.config.int(D::slowlog_log_slower_than);
            if slower < 0 {
                a.slowlog_enabled = true;
                a.count += 1;
            } else if slower / 1000 > threshold {
                a.slowlog_tuning = true;
                a.count += 1;
            }
            a.slowlog_inspect = true;
            a.large_objects = true;
            a.count += 2;
        }
        "fast-command" => {
            a.scheduler = true;
            a.count += 1;
        }
        "expire-cycle" => {
            a.hz = true;
            a.large_objects = true;
            a.count += 2;
        }
        _ => {}
    }
}

fn advice_text(server: &Server, a: &Advice, out: &mut String) {
    let threshold_us = server.config.int(D::latency_monitor_threshold) * 1000;
    out.push_str("\nI have a few advices for you:\n\n");
    if a.slowlog_enabled {
        out.push_str(&format!("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {threshold_us}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n"));
    }
    if a.slowlog_tuning {
        out.push_str(&format!("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {threshold_us}'.\n"));
    }
    if a.slowlog_inspect {
        out.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
    }
    if a.scheduler {
        out.push_str("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n  1) Lower the system load.\n  2) Use a computer / VM just for Redis if you are running other software in the same system.\n  3) Check if you have a \"noisy neighbour\" problem.\n  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
    }
    if a.hz && server.config.int(D::hz) < 100 {
        out.push_str("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
    }
    if a.large_objects {
        out.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
    }
    if a.disable_thp {
        out.push_str("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n");
    }
}

/// Kilobytes of anonymous huge pages the process uses (`/proc/self/smaps_rollup`), 0 elsewhere.
fn anon_huge_pages() -> u64 {
    std::fs::read_to_string("/proc/self/smaps_rollup")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("AnonHugePages:"))
                .and_then(|v| v.split_ascii_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}
