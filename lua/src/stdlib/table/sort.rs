//! `table.sort`: 5.1's quicksort (`auxsort` in `ltablib.c`) as a resumable state machine.
//!
//! Key design decision: the algorithm never compares by itself. [`Sorter::resume`] runs until it
//! needs `a < b`, returns [`Step::Compare`], and takes the answer on the next call, so the same code
//! serves the fast path (answers computed in Rust, in a loop) and Lua comparators or `__lt`
//! metamethods (answers delivered by a continuation after an `Action::Call`). Recursion on the
//! smaller partition becomes an explicit stack of pending ranges, processed in C's order, and the
//! values C holds on its stack (pivot and the two scanned items) are kept in [`Held`] so reads,
//! writes and comparisons happen in exactly 5.1's sequence, even with invalid comparators.

use gc_arena::Mutation;

use crate::table::Table;
use crate::value::Value;

/// The array being sorted, as `lua_rawgeti`/`lua_rawseti` see it.
pub trait Slots<'gc> {
    /// `t[i]`.
    fn get(&self, i: i64) -> Value<'gc>;
    /// `t[i] = v`.
    fn set(&mut self, i: i64, v: Value<'gc>);
}

/// The table itself (used whenever Lua code may run during the sort and could look at it).
pub struct TableSlots<'gc, 'a> {
    /// The mutation context for writes.
    pub mc: &'a Mutation<'gc>,
    /// The table.
    pub table: Table<'gc>,
}

impl<'gc> Slots<'gc> for TableSlots<'gc, '_> {
    fn get(&self, i: i64) -> Value<'gc> {
        self.table.get_int(i)
    }
    fn set(&mut self, i: i64, v: Value<'gc>) {
        self.table.set_int(self.mc, i, v);
    }
}

/// A copy of `t[1..=n]` (reads outside it go to the table), for sorts no Lua code can observe.
pub struct CopySlots<'gc, 'a> {
    /// The mutation context for writes beyond the copied range.
    pub mc: &'a Mutation<'gc>,
    /// The table, for accesses beyond the copied range.
    pub table: Table<'gc>,
    /// `t[1..=n]`.
    pub items: Vec<Value<'gc>>,
}

impl<'gc> CopySlots<'gc, '_> {
    fn index(&self, i: i64) -> Option<usize> {
        let k = usize::try_from(i.checked_sub(1)?).ok()?;
        (k < self.items.len()).then_some(k)
    }

    /// Stores the items back into the table.
    pub fn write_back(&self) {
        for (k, &v) in self.items.iter().enumerate() {
            self.table.set_int(self.mc, k as i64 + 1, v);
        }
    }
}

impl<'gc> Slots<'gc> for CopySlots<'gc, '_> {
    #[inline]
    fn get(&self, i: i64) -> Value<'gc> {
        match self.index(i) {
            Some(k) => self.items[k],
            None => self.table.get_int(i),
        }
    }
    #[inline]
    fn set(&mut self, i: i64, v: Value<'gc>) {
        match self.index(i) {
            Some(k) => self.items[k] = v,
            None => self.table.set_int(self.mc, i, v),
        }
    }
}

/// `set2`: `t[i] = vi; t[j] = vj`.
#[inline]
fn set2<'gc>(t: &mut impl Slots<'gc>, i: i64, vi: Value<'gc>, j: i64, vj: Value<'gc>) {
    t.set(i, vi);
    t.set(j, vj);
}

/// The values 5.1 keeps on the C stack while sorting: the pivot and the two items being compared.
pub type Held<'gc> = [Value<'gc>; 3];

const PIVOT: usize = 0;
const A: usize = 1;
const B: usize = 2;

/// What the sorter needs next.
pub enum Step<'gc> {
    /// The answer to `left < right`.
    Compare(Value<'gc>, Value<'gc>),
    /// Nothing: the array is sorted.
    Done,
    /// A scan ran off the array: `invalid order function for sorting`.
    Invalid,
}

/// Where [`Sorter::resume`] continues.
#[derive(Clone, Copy)]
enum Pc {
    /// `while (l < u)`: start on the current range.
    Top,
    /// Take the next pending range (after C's `break` or the loop's end).
    Pop,
    /// After `a[u] < a[l]`.
    First,
    /// After `a[i] < a[l]`.
    Second,
    /// After `a[u] < a[i]`.
    Third,
    /// Choose the pivot and start partitioning.
    Partition,
    /// After `a[i] < P` while scanning up.
    ScanUp,
    /// After `P < a[j]` while scanning down.
    ScanDown,
}

/// The integer state of an interrupted sort (the `'static` part, kept in a userdata between calls).
pub struct Sorter {
    l: i64,
    u: i64,
    i: i64,
    j: i64,
    pc: Pc,
    pending: Vec<(i64, i64)>,
}

impl Sorter {
    /// A sort of `t[1..=n]`.
    pub fn new(n: i64) -> Sorter {
        Sorter {
            l: 1,
            u: n,
            i: 0,
            j: 0,
            pc: Pc::Top,
            pending: Vec::new(),
        }
    }

    /// Runs until the next comparison, given the answer to the previous one (ignored at the start).
    pub fn resume<'gc>(
        &mut self,
        t: &mut impl Slots<'gc>,
        h: &mut Held<'gc>,
        answer: bool,
    ) -> Step<'gc> {
        loop {
            let (l, u) = (self.l, self.u);
            match self.pc {
                Pc::Top => {
                    if l >= u {
                        self.pc = Pc::Pop;
                        continue;
                    }
                    h[A] = t.get(l);
                    h[B] = t.get(u);
                    self.pc = Pc::First;
                    return Step::Compare(h[B], h[A]);
                }
                Pc::Pop => match self.pending.pop() {
                    Some((l, u)) => {
                        (self.l, self.u) = (l, u);
                        self.pc = Pc::Top;
                    }
                    None => return Step::Done,
                },
                Pc::First => {
                    if answer {
                        set2(t, l, h[B], u, h[A]);
                    }
                    if u - l == 1 {
                        self.pc = Pc::Pop;
                        continue;
                    }
                    self.i = (l + u) / 2;
                    h[A] = t.get(self.i);
                    h[B] = t.get(l);
                    self.pc = Pc::Second;
                    return Step::Compare(h[A], h[B]);
                }
                Pc::Second => {
                    if answer {
                        set2(t, self.i, h[B], l, h[A]);
                        self.pc = Pc::Partition;
                        continue;
                    }
                    h[B] = t.get(u);
                    self.pc = Pc::Third;
                    return Step::Compare(h[B], h[A]);
                }
                Pc::Third => {
                    if answer {
                        set2(t, self.i, h[B], u, h[A]);
                    }
                    self.pc = Pc::Partition;
                }
                Pc::Partition => {
                    if u - l == 2 {
                        self.pc = Pc::Pop;
                        continue;
                    }
                    h[PIVOT] = t.get(self.i);
                    let last = t.get(u - 1);
                    set2(t, self.i, last, u - 1, h[PIVOT]);
                    self.i = l;
                    self.j = u - 1;
                    return self.scan_up(t, h);
                }
                Pc::ScanUp => {
                    if answer {
                        if self.i > u {
                            return Step::Invalid;
                        }
                        return self.scan_up(t, h);
                    }
                    return self.scan_down(t, h);
                }
                Pc::ScanDown => {
                    if answer {
                        if self.j < l {
                            return Step::Invalid;
                        }
                        return self.scan_down(t, h);
                    }
                    if self.j >= self.i {
                        set2(t, self.i, h[B], self.j, h[A]);
                        return self.scan_up(t, h);
                    }
                    self.finish_partition(t);
                }
            }
        }
    }

    /// `while (lua_rawgeti(L, 1, ++i), sort_comp(L, -1, -2))`: asks `a[i] < P`.
    fn scan_up<'gc>(&mut self, t: &impl Slots<'gc>, h: &mut Held<'gc>) -> Step<'gc> {
        self.i += 1;
        h[A] = t.get(self.i);
        self.pc = Pc::ScanUp;
        Step::Compare(h[A], h[PIVOT])
    }

    /// `while (lua_rawgeti(L, 1, --j), sort_comp(L, -3, -1))`: asks `P < a[j]`.
    fn scan_down<'gc>(&mut self, t: &impl Slots<'gc>, h: &mut Held<'gc>) -> Step<'gc> {
        self.j -= 1;
        h[B] = t.get(self.j);
        self.pc = Pc::ScanDown;
        Step::Compare(h[PIVOT], h[B])
    }

    /// Puts the pivot in place, then sorts the smaller part first and the larger one after it.
    fn finish_partition<'gc>(&mut self, t: &mut impl Slots<'gc>) {
        let (l, u, i) = (self.l, self.u, self.i);
        let last = t.get(u - 1);
        let at_i = t.get(i);
        t.set(u - 1, at_i);
        t.set(i, last);
        let (smaller, larger) = if i - l < u - i {
            ((l, i - 1), (i + 1, u))
        } else {
            ((i + 1, u), (l, i - 1))
        };
        self.pending.push(larger);
        (self.l, self.u) = smaller;
        self.pc = Pc::Top;
    }
}
