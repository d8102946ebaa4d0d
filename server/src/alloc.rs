//! Memory accounting: [`Counting`], a global allocator that forwards to the system allocator (glibc
//! malloc) and keeps a running total of the bytes it holds, so `INFO memory` (`used_memory`, peak,
//! fragmentation ratio) and `MEMORY USAGE/STATS` report real numbers as Redis's zmalloc does. Key
//! decisions: each block is counted as the chunk glibc carves for it (request + 8-byte header, rounded
//! up to 16, at least 32 bytes), which is what `malloc_usable_size` would add up to without asking
//! the allocator; the counters are relaxed atomics (a few instructions per allocation, measured as
//! noise against redis-benchmark), and the peak is raised in the same place so it never misses a
//! short spike.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static USED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static STARTUP: AtomicUsize = AtomicUsize::new(0);

/// The counting allocator; install with `#[global_allocator]` (the `ferrous` binary does).
pub struct Counting;

/// Bytes of heap a block of `size` bytes takes in glibc malloc (chunk header and alignment included).
#[inline]
pub fn chunk_size(size: usize) -> usize {
    ((size + 8 + 15) & !15).max(32)
}

#[inline]
fn add(size: usize) {
    let now = USED.fetch_add(chunk_size(size), Relaxed) + chunk_size(size);
    if now > PEAK.load(Relaxed) {
        PEAK.fetch_max(now, Relaxed);
    }
}

#[inline]
fn sub(size: usize) {
    USED.fetch_sub(chunk_size(size), Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's own arguments, so the allocator
// contract (valid layouts, pointers from this allocator, matching layouts on free) is the caller's
// contract passed through unchanged; the counters only read `layout.size()` and never touch memory.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract for `layout`.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator (hence by `System`) with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr`/`layout` come from this allocator and `new_size` is valid, per the caller.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            sub(layout.size());
            add(new_size);
        }
        p
    }
}

/// Bytes currently allocated (0 when [`Counting`] is not the global allocator, e.g. in unit tests).
pub fn used() -> usize {
    USED.load(Relaxed)
}

/// The most bytes ever allocated at once.
pub fn peak() -> usize {
    PEAK.load(Relaxed).max(used())
}

/// Records the current allocation as the start-up baseline (`used_memory_startup`); called once the
/// server is initialised.
pub fn mark_startup() {
    STARTUP.store(used(), Relaxed);
}

/// Bytes allocated when the server had started (see [`mark_startup`]).
pub fn startup() -> usize {
    STARTUP.load(Relaxed)
}

/// Forgets the peak (`MEMORY STATS`'s `peak.allocated` after `CONFIG RESETSTAT`, as Redis does).
pub fn reset_peak() {
    PEAK.store(used(), Relaxed);
}

/// Resident set size of the process in bytes, from /proc/self/statm (0 when unavailable).
pub fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes_follow_glibc() {
        assert_eq!(chunk_size(0), 32);
        assert_eq!(chunk_size(24), 32);
        assert_eq!(chunk_size(25), 48);
        assert_eq!(chunk_size(40), 48);
        assert_eq!(chunk_size(41), 64);
    }

    #[test]
    fn counts_blocks_through_the_trait() {
        let layout = Layout::from_size_align(100, 8).unwrap();
        let before = used();
        // SAFETY: a valid non-zero layout; the block is freed with the same layout below.
        unsafe {
            let p = Counting.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(used(), before + chunk_size(100));
            let q = Counting.realloc(p, layout, 300);
            assert!(!q.is_null());
            assert_eq!(used(), before + chunk_size(300));
            Counting.dealloc(q, Layout::from_size_align(300, 8).unwrap());
        }
        assert_eq!(used(), before);
        assert!(peak() >= before + chunk_size(300));
    }
}
