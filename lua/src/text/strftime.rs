//! `os.date` / `os.time` support: glibc `strftime` conversions in the C locale, calendar
//! arithmetic (epoch seconds ↔ broken-down time) and local time from a TZif time-zone file.
//!
//! Key design decision: no libc. Calendar maths uses the proleptic Gregorian days-from-civil
//! algorithm on `i64`, and local time comes from parsing the TZif file (`$TZ` or `/etc/localtime`)
//! ourselves; when none can be read the zone is UTC. Times after a zone's last transition use that
//! transition's offset (the POSIX rule in the file's footer is not interpreted), which is exact for
//! UTC and for zones without ongoing daylight-saving rules.

/// A broken-down time, like C's `struct tm` but with the field conventions of Lua's `os.date("*t")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tm {
    /// Full year (e.g. 2023; 0 and negative years are proleptic Gregorian).
    pub year: i64,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub min: u32,
    /// Second, 0..=60.
    pub sec: u32,
    /// Day of the week, 1..=7 with Sunday = 1 (Lua's `wday`).
    pub wday: u32,
    /// Day of the year, 1..=366 (Lua's `yday`).
    pub yday: u32,
    /// Whether daylight-saving time is in effect.
    pub isdst: bool,
    /// Offset from UTC in seconds east (C's `tm_gmtoff`).
    pub utc_offset: i64,
    /// Time-zone abbreviation (C's `tm_zone`), e.g. `GMT` for `gmtime`, `UTC`, `CET`.
    pub zone: String,
}

/// Days since 1970-01-01 of the proleptic Gregorian date `year-month-day` (`month` 1..=12,
/// `day` 1..=31; Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The proleptic Gregorian date `(year, month 1..=12, day 1..=31)` of a day count since
/// 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Broken-down time of `t + offset` seconds, labelled with the given zone data. `None` when the
/// year does not fit C's `int tm_year`, where glibc's `gmtime`/`localtime` fail (Lua returns nil).
fn broken_down(t: i64, offset: i64, isdst: bool, zone: &str) -> Option<Tm> {
    let local = t.checked_add(offset)?;
    let days = local.div_euclid(86400);
    let secs = local.rem_euclid(86400);
    let (year, month, day) = civil_from_days(days);
    i32::try_from(year - 1900).ok()?;
    Some(Tm {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        min: (secs / 60 % 60) as u32,
        sec: (secs % 60) as u32,
        wday: (days + 4).rem_euclid(7) as u32 + 1,
        yday: (days - days_from_civil(year, 1, 1)) as u32 + 1,
        isdst,
        utc_offset: offset,
        zone: zone.to_string(),
    })
}

/// C's `gmtime`: the UTC broken-down time of epoch seconds `t`, with zone name `GMT` as glibc
/// reports it. `None` when the year does not fit a C `int` (e.g. `t = 1e17`).
pub fn utc_time(t: i64) -> Option<Tm> {
    broken_down(t, 0, false, "GMT")
}

/// Epoch seconds of a UTC calendar time, normalizing out-of-range fields like `mktime` does
/// (month 13 is January of the next year, day 0 the last day of the previous month, …).
/// `month` is 1-based. `None` on arithmetic overflow.
pub fn timegm(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> Option<i64> {
    let m0 = month.checked_sub(1)?;
    let y = year.checked_add(m0.div_euclid(12))?;
    if y.unsigned_abs() > 1 << 40 {
        return None;
    }
    let days =
        days_from_civil(y, m0.rem_euclid(12) as u32 + 1, 1).checked_add(day.checked_sub(1)?)?;
    days.checked_mul(86400)?
        .checked_add(hour.checked_mul(3600)?)?
        .checked_add(min.checked_mul(60)?)?
        .checked_add(sec)
}

/// A local time zone: offsets and abbreviations by transition time, from a TZif file.
#[derive(Debug, Clone)]
pub struct TimeZone {
    transitions: Vec<i64>,
    type_of: Vec<usize>,
    types: Vec<LocalType>,
}

#[derive(Debug, Clone)]
struct LocalType {
    offset: i64,
    isdst: bool,
    abbr: String,
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl TimeZone {
    /// Coordinated Universal Time, abbreviated `UTC`.
    pub fn utc() -> TimeZone {
        TimeZone {
            transitions: Vec::new(),
            type_of: Vec::new(),
            types: vec![LocalType {
                offset: 0,
                isdst: false,
                abbr: "UTC".to_string(),
            }],
        }
    }

    /// Parses a TZif file (versions 1–4; the 64-bit section is used when present). `None` if the
    /// data is malformed.
    pub fn from_tzif(data: &[u8]) -> Option<TimeZone> {
        if data.get(..4)? != b"TZif" {
            return None;
        }
        let counts = |h: usize| -> Option<[usize; 6]> {
            let mut c = [0; 6];
            for (i, slot) in c.iter_mut().enumerate() {
                *slot = be_u32(data, h + 20 + 4 * i)? as usize;
            }
            Some(c)
        };
        let [isut, isstd, leap, time, typ, chars] = counts(0)?;
        let v1_len = time * 5 + typ * 6 + chars + leap * 8 + isstd + isut;
        let (base, tsize, [_, _, _, time, typ, chars]) = if data[4] >= b'2' {
            let h = 44 + v1_len;
            (h + 44, 8, counts(h)?)
        } else {
            (44, 4, [isut, isstd, leap, time, typ, chars])
        };
        let mut transitions = Vec::with_capacity(time);
        for i in 0..time {
            let at = base + i * tsize;
            transitions.push(if tsize == 8 {
                i64::from_be_bytes(data.get(at..at + 8)?.try_into().ok()?)
            } else {
                i64::from(be_u32(data, at)? as i32)
            });
        }
        let idx_base = base + time * tsize;
        let type_of: Vec<usize> = data
            .get(idx_base..idx_base + time)?
            .iter()
            .map(|&b| usize::from(b))
            .collect();
        let type_base = idx_base + time;
        let abbr_base = type_base + typ * 6;
        let abbrs = data.get(abbr_base..abbr_base + chars)?;
        let mut types = Vec::with_capacity(typ);
        for i in 0..typ {
            let at = type_base + i * 6;
            let ai = usize::from(*data.get(at + 5)?);
            let abbr = abbrs.get(ai..)?;
            let end = abbr.iter().position(|&c| c == 0).unwrap_or(abbr.len());
            types.push(LocalType {
                offset: i64::from(be_u32(data, at)? as i32),
                isdst: *data.get(at + 4)? != 0,
                abbr: String::from_utf8_lossy(&abbr[..end]).into_owned(),
            });
        }
        if types.is_empty() || type_of.iter().any(|&t| t >= types.len()) {
            return None;
        }
        Some(TimeZone {
            transitions,
            type_of,
            types,
        })
    }

    /// The process's local zone as glibc chooses it: the TZif file named by `$TZ` (a path, with an
    /// optional leading `:`, or a name under `/usr/share/zoneinfo`), else `/etc/localtime`; UTC
    /// when nothing readable is found (POSIX rule strings in `$TZ` are not interpreted).
    pub fn local() -> TimeZone {
        let path = match std::env::var("TZ") {
            Ok(tz) if !tz.is_empty() => {
                let tz = tz.strip_prefix(':').unwrap_or(&tz).to_string();
                if tz.starts_with('/') {
                    tz
                } else {
                    format!("/usr/share/zoneinfo/{tz}")
                }
            }
            _ => "/etc/localtime".to_string(),
        };
        std::fs::read(path)
            .ok()
            .and_then(|d| TimeZone::from_tzif(&d))
            .unwrap_or_else(TimeZone::utc)
    }

    fn type_at(&self, t: i64) -> &LocalType {
        let n = self.transitions.partition_point(|&x| x <= t);
        if n == 0 {
            // Before the first transition: the first standard-time type (RFC 8536).
            self.types
                .iter()
                .find(|ty| !ty.isdst)
                .unwrap_or(&self.types[0])
        } else {
            &self.types[self.type_of[n - 1]]
        }
    }

    /// C's `localtime` in this zone. `None` when the year does not fit a C `int`.
    pub fn local_time(&self, t: i64) -> Option<Tm> {
        let ty = self.type_at(t);
        broken_down(t, ty.offset, ty.isdst, &ty.abbr)
    }

    /// C's `mktime` for `os.time{...}`: epoch seconds of a local calendar time, normalizing
    /// out-of-range fields (see [`timegm`]); `month` is 1-based. The `isdst` hint is not used: an
    /// ambiguous or skipped local time resolves with the offset in force just after it.
    pub fn mktime(
        &self,
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
    ) -> Option<i64> {
        let local = timegm(year, month, day, hour, min, sec)?;
        let guess = local.checked_sub(self.type_at(local).offset)?;
        let t = local.checked_sub(self.type_at(guess).offset)?;
        self.local_time(t).map(|_| t)
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// ISO 8601 week-based year and week number (glibc's `iso_week_days` logic).
fn iso_week(tm: &Tm) -> (i64, i64) {
    let iso_week_days = |yday: i64, wday: i64| yday - (yday - wday + 382) % 7 + 3;
    let yday = i64::from(tm.yday) - 1;
    let wday = i64::from(tm.wday) - 1;
    let year_len = |y: i64| 365 + i64::from(is_leap(y));
    let mut year = tm.year;
    let mut days = iso_week_days(yday, wday);
    if days < 0 {
        year -= 1;
        days = iso_week_days(yday + year_len(year), wday);
    } else {
        let d = iso_week_days(yday - year_len(year), wday);
        if d >= 0 {
            year += 1;
            days = d;
        }
    }
    (year, days / 7 + 1)
}

fn num(out: &mut Vec<u8>, v: i64, width: usize, pad: u8) {
    let s = v.unsigned_abs().to_string();
    if v < 0 {
        out.push(b'-');
    }
    out.extend(std::iter::repeat_n(pad, width.saturating_sub(s.len())));
    out.extend_from_slice(s.as_bytes());
}

/// Appends glibc's `strftime("%<conv>")` in the C locale for one conversion character. Unknown
/// characters (including glibc's flags and `E`/`O` modifiers, which 5.1 passes alone) are copied
/// as `%<conv>`; a digit `n` is a field width glibc applies to that copy.
pub fn format_conversion(conv: u8, tm: &Tm, out: &mut Vec<u8>) {
    let wday0 = (tm.wday as usize + 6) % 7;
    let (year, month, day) = (tm.year, i64::from(tm.month), i64::from(tm.day));
    let (hour, min, sec) = (i64::from(tm.hour), i64::from(tm.min), i64::from(tm.sec));
    let yday0 = i64::from(tm.yday) - 1;
    let hour12 = if hour % 12 == 0 { 12 } else { hour % 12 };
    let month_name = MONTHS[(tm.month as usize + 11) % 12];
    match conv {
        b'a' => out.extend_from_slice(&DAYS[wday0].as_bytes()[..3]),
        b'A' => out.extend_from_slice(DAYS[wday0].as_bytes()),
        b'b' | b'h' => out.extend_from_slice(&month_name.as_bytes()[..3]),
        b'B' => out.extend_from_slice(month_name.as_bytes()),
        b'c' => format_date(b"%a %b %e %H:%M:%S %Y", tm, out),
        b'C' => num(out, year.div_euclid(100), 0, b'0'),
        b'd' => num(out, day, 2, b'0'),
        b'D' | b'x' => format_date(b"%m/%d/%y", tm, out),
        b'e' => num(out, day, 2, b' '),
        b'F' => format_date(b"%Y-%m-%d", tm, out),
        b'g' => num(out, iso_week(tm).0.rem_euclid(100), 2, b'0'),
        b'G' => num(out, iso_week(tm).0, 0, b'0'),
        b'H' => num(out, hour, 2, b'0'),
        b'I' => num(out, hour12, 2, b'0'),
        b'j' => num(out, yday0 + 1, 3, b'0'),
        b'k' => num(out, hour, 2, b' '),
        b'l' => num(out, hour12, 2, b' '),
        b'm' => num(out, month, 2, b'0'),
        b'M' => num(out, min, 2, b'0'),
        b'n' => out.push(b'\n'),
        b'p' => out.extend_from_slice(if hour >= 12 { b"PM" } else { b"AM" }),
        b'P' => out.extend_from_slice(if hour >= 12 { b"pm" } else { b"am" }),
        b'r' => format_date(b"%I:%M:%S %p", tm, out),
        b'R' => format_date(b"%H:%M", tm, out),
        b's' => {
            let t = timegm(year, month, day, hour, min, sec).map(|t| t - tm.utc_offset);
            num(out, t.unwrap_or(0), 0, b'0');
        }
        b'S' => num(out, sec, 2, b'0'),
        b't' => out.push(b'\t'),
        b'T' | b'X' => format_date(b"%H:%M:%S", tm, out),
        b'u' => num(out, if wday0 == 0 { 7 } else { wday0 as i64 }, 0, b'0'),
        b'U' => num(out, (yday0 - wday0 as i64 + 7) / 7, 2, b'0'),
        b'V' => num(out, iso_week(tm).1, 2, b'0'),
        b'w' => num(out, wday0 as i64, 0, b'0'),
        b'W' => num(out, (yday0 - (wday0 as i64 + 6) % 7 + 7) / 7, 2, b'0'),
        b'y' => num(out, year.rem_euclid(100), 2, b'0'),
        b'Y' => num(out, year, 0, b'0'),
        b'z' => {
            let off = tm.utc_offset;
            out.push(if off < 0 { b'-' } else { b'+' });
            let a = off.unsigned_abs() / 60;
            num(out, (a / 60 * 100 + a % 60) as i64, 4, b'0');
        }
        b'Z' => out.extend_from_slice(tm.zone.as_bytes()),
        b'%' => out.push(b'%'),
        b'1'..=b'9' => {
            out.extend(std::iter::repeat_n(
                b' ',
                usize::from(conv - b'0').saturating_sub(2),
            ));
            out.extend_from_slice(&[b'%', conv]);
        }
        _ => out.extend_from_slice(&[b'%', conv]),
    }
}

/// Appends `os.date(fmt)` for an already-chosen broken-down time (the caller strips a leading `!`
/// and handles `*t`), exactly like 5.1's loop: the format ends at its first NUL, each `%x` pair is
/// one [`format_conversion`], and a final lone `%` is copied.
pub fn format_date(fmt: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let fmt = fmt.iter().position(|&c| c == 0).map_or(fmt, |i| &fmt[..i]);
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] == b'%' && i + 1 < fmt.len() {
            format_conversion(fmt[i + 1], tm, out);
            i += 2;
        } else {
            out.push(fmt[i]);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(fmt: &str, t: i64) -> String {
        let mut out = Vec::new();
        format_date(fmt.as_bytes(), &utc_time(t).unwrap(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn conversions_like_lua51() {
        // Expectations from lua5.1's os.date("!...", 1700000000).
        let t = 1700000000;
        assert_eq!(date("%a %A %b %B", t), "Tue Tuesday Nov November");
        assert_eq!(date("%c", t), "Tue Nov 14 22:13:20 2023");
        assert_eq!(
            date("%d %H %I %j %m %M %p %S", t),
            "14 22 10 318 11 13 PM 20"
        );
        assert_eq!(date("%U %w %W", t), "46 2 46");
        assert_eq!(
            date("%x %X %y %Y %Z %%", t),
            "11/14/23 22:13:20 23 2023 GMT %"
        );
        assert_eq!(
            date("%e %D %T %F %R", t),
            "14 11/14/23 22:13:20 2023-11-14 22:13"
        );
        assert_eq!(date("%n%t", t), "\n\t");
        assert_eq!(
            date("%h %C %g %G %V %u %s %z %k %l %P", t),
            "Nov 20 23 2023 46 2 1700000000 +0000 22 10 pm"
        );
        assert_eq!(date("%r", t), "10:13:20 PM");
        assert_eq!(
            date("%q %E %O %5 %- %_ %^ %# %0 %: %+ %i %J", t),
            "%q %E %O    %5 %- %_ %^ %# %0 %: %+ %i %J"
        );
        assert_eq!(date("%", t), "%");
        assert_eq!(date("abc%", t), "abc%");
        assert_eq!(date("%Ey %Od", t), "%Ey %Od");
        assert_eq!(date("%\0d", t), "%");
    }

    #[test]
    fn calendar_like_lua51() {
        // Expectations from lua5.1's os.date("!%Y-%m-%d %H:%M:%S %a %j %U %W %V %G %g %C %y %u %w %s", t).
        let f = "%Y-%m-%d %H:%M:%S %a %j %U %W %V %G %g %C %y %u %w %s";
        let cases: &[(i64, &str)] = &[
            (0, "1970-01-01 00:00:00 Thu 001 00 00 01 1970 70 19 70 4 4 0"),
            (-1, "1969-12-31 23:59:59 Wed 365 52 52 01 1970 70 19 69 3 3 -1"),
            (946126800, "1999-12-25 13:00:00 Sat 359 51 51 51 1999 99 19 99 6 6 946126800"),
            (-31000000000, "987-08-25 16:53:20 Sat 237 33 34 34 987 87 9 87 6 6 -31000000000"),
            (-62167219200, "0-01-01 00:00:00 Sat 001 00 00 52 -1 99 0 00 6 6 -62167219200"),
            (-62167219201, "-1-12-31 23:59:59 Fri 365 52 52 52 -1 99 -1 99 5 5 -62167219201"),
            (253402300799, "9999-12-31 23:59:59 Fri 365 52 52 52 9999 99 99 99 5 5 253402300799"),
            (253402300800, "10000-01-01 00:00:00 Sat 001 00 00 52 9999 99 100 00 6 6 253402300800"),
            (
                1000000000000000,
                "31690708-07-05 01:46:40 Sun 187 27 26 27 31690708 08 316907 08 7 0 1000000000000000",
            ),
            (
                -1000000000000000,
                "-31686769-06-29 22:13:20 Sun 180 26 25 26 -31686769 31 -316868 31 7 0 -1000000000000000",
            ),
            (2147483648, "2038-01-19 03:14:08 Tue 019 03 03 03 2038 38 20 38 2 2 2147483648"),
            (-2147483648, "1901-12-13 20:45:52 Fri 347 49 49 50 1901 01 19 01 5 5 -2147483648"),
            (1230768000, "2009-01-01 00:00:00 Thu 001 00 00 01 2009 09 20 09 4 4 1230768000"),
            (1104537600, "2005-01-01 00:00:00 Sat 001 00 00 53 2004 04 20 05 6 6 1104537600"),
            (1135987200, "2005-12-31 00:00:00 Sat 365 52 52 52 2005 05 20 05 6 6 1135987200"),
        ];
        for &(t, want) in cases {
            assert_eq!(date(f, t), want, "t = {t}");
        }
        assert_eq!(utc_time(100000000000000000), None);
        let tm = utc_time(86400).unwrap();
        assert_eq!((tm.wday, tm.yday, tm.isdst), (6, 2, false));
    }

    #[test]
    fn offsets_and_zero_fields_like_glibc() {
        let mut tm = utc_time(0).unwrap();
        tm.utc_offset = -(3 * 3600 + 1800);
        tm.zone = "XYZ".into();
        let mut out = Vec::new();
        format_date(b"[%z][%Z]", &tm, &mut out);
        assert_eq!(out, b"[-0330][XYZ]");
        tm.utc_offset = 5 * 3600 + 45 * 60 + 30;
        out.clear();
        format_date(b"[%z]", &tm, &mut out);
        assert_eq!(out, b"[+0545]");
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        assert_eq!(timegm(2023, 11, 14, 22, 13, 20), Some(1700000000));
        assert_eq!(timegm(2023, 13, 1, 0, 0, 0), timegm(2024, 1, 1, 0, 0, 0));
        assert_eq!(timegm(2024, 3, 0, 12, 0, 0), timegm(2024, 2, 29, 12, 0, 0));
        assert_eq!(timegm(2024, 0, 1, 0, 0, 0), timegm(2023, 12, 1, 0, 0, 0));
        assert_eq!(timegm(1970, 1, 1, 0, 0, -1), Some(-1));
    }

    /// A minimal version-1 TZif image: one transition at t = 1000 from `AAA` (+1h) to `BBB` (+2h,
    /// DST).
    fn tzif() -> Vec<u8> {
        let mut d = b"TZif".to_vec();
        d.extend_from_slice(&[0; 16]);
        for c in [0u32, 0, 0, 1, 2, 8] {
            d.extend_from_slice(&c.to_be_bytes());
        }
        d.extend_from_slice(&1000u32.to_be_bytes());
        d.push(1);
        d.extend_from_slice(&3600u32.to_be_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(&7200u32.to_be_bytes());
        d.extend_from_slice(&[1, 4]);
        d.extend_from_slice(b"AAA\0BBB\0");
        d
    }

    #[test]
    fn tzif_zones() {
        let z = TimeZone::from_tzif(&tzif()).unwrap();
        let before = z.local_time(999).unwrap();
        assert_eq!(
            (before.hour, before.zone.as_str(), before.isdst),
            (1, "AAA", false)
        );
        let after = z.local_time(1000).unwrap();
        assert_eq!(
            (after.hour, after.zone.as_str(), after.isdst),
            (2, "BBB", true)
        );
        assert_eq!(z.mktime(1970, 1, 1, 0, 0, 0), Some(-3600));
        assert_eq!(z.mktime(1970, 1, 2, 0, 0, 0), Some(86400 - 7200));
        assert!(TimeZone::from_tzif(b"TZif").is_none());
        let utc = TimeZone::utc().local_time(1700000000).unwrap();
        assert_eq!((utc.hour, utc.zone.as_str()), (22, "UTC"));
        // The machine's zone file, when present, parses.
        if let Ok(d) = std::fs::read("/etc/localtime") {
            assert!(TimeZone::from_tzif(&d).is_some());
        }
    }
}
