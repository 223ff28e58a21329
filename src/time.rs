//! Calendar arithmetic at the bottom of the crate: day numbers (days since 1970-01-01,
//! proleptic Gregorian), months as indices (`year * 12 + month - 1`), and their text
//! forms (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM`). Pure functions, no I/O; every
//! layer (ingest, config, metrics, report) imports them from here and this module
//! imports nothing of the crate.

/// Seconds in a day: the unit that turns a time into its calendar day.
pub const SECS_PER_DAY: i64 = 86_400;

/// Calendar day number (days since 1970-01-01) of a wall-clock time in seconds.
pub fn day_of(t: i64) -> i32 {
    t.div_euclid(SECS_PER_DAY) as i32
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A day number as `YYYY-MM-DD`.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A time as `YYYY-MM-DD HH:MM`.
pub fn format_time(t: i64) -> String {
    let day = day_of(t);
    let secs = t - day as i64 * SECS_PER_DAY;
    format!("{} {:02}:{:02}", format_day(day), secs / 3600, secs % 3600 / 60)
}

/// Days in month `m` (1–12) of year `y`; February has 29 in a Gregorian leap year.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days in the month of a month index (see [`month_index`]).
pub fn days_in(index: i32) -> u32 {
    days_in_month(index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// Months since year 0 (`year * 12 + month - 1`) of a day number.
pub fn month_index(day: i32) -> i32 {
    let (y, m, _) = civil_from_days(day);
    y * 12 + m as i32 - 1
}

/// [`month_index`], looked up for the days of 1990 to 2099 (and computed for the
/// others): the frames ask it for millions of rows that fall on a few thousand days,
/// and a lookup in a 160 KB table is a few times faster than the calendar arithmetic.
pub fn month_of(day: i32) -> i32 {
    static TABLE: std::sync::OnceLock<(i32, Vec<i32>)> = std::sync::OnceLock::new();
    let (first, months) = TABLE.get_or_init(|| {
        let (first, end) = (days_from_civil(1990, 1, 1), days_from_civil(2100, 1, 1));
        (first, (first..end).map(month_index).collect())
    });
    match day.checked_sub(*first).and_then(|i| months.get(usize::try_from(i).ok()?)) {
        Some(&m) => m,
        None => month_index(day),
    }
}

/// A month index as `YYYY-MM`.
pub fn month_label(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000, -1, 0, 1, 11_016, 20_758, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(format_day(days_from_civil(2026, 10, 31)), "2026-10-31");
    }

    #[test]
    fn times_and_days_before_1970_floor_to_their_day() {
        assert_eq!(day_of(-1), -1);
        assert_eq!(day_of(SECS_PER_DAY), 1);
        let t = days_from_civil(2026, 10, 31) as i64 * SECS_PER_DAY + 16 * 3600 + 14 * 60 + 59;
        assert_eq!(format_time(t), "2026-10-31 16:14");
        assert_eq!(format_time(-60), "1969-12-31 23:59");
    }

    #[test]
    fn months_looked_up_are_the_months_computed() {
        let (first, end) = (days_from_civil(1990, 1, 1), days_from_civil(2100, 1, 1));
        for day in (first - 400..end + 400).chain([i32::MIN, -1, 0, i32::MAX - 719_468]) {
            assert_eq!(month_of(day), month_index(day), "{}", format_day(day));
        }
    }

    #[test]
    fn months_and_their_lengths() {
        let oct = month_index(days_from_civil(2026, 10, 31));
        assert_eq!(oct, 2026 * 12 + 9);
        assert_eq!(month_label(oct), "2026-10");
        assert_eq!(month_label(month_index(days_from_civil(2027, 1, 1))), "2027-01");
        assert_eq!((days_in(oct), days_in(oct + 1), days_in(oct + 4)), (31, 30, 28));
        assert_eq!(days_in(month_index(days_from_civil(2028, 2, 1))), 29);
        assert_eq!((days_in_month(1900, 2), days_in_month(2000, 2)), (28, 29));
        // Every month's length agrees with the next month's first day number.
        for index in 2020 * 12..2030 * 12 {
            let (y, m) = (index / 12, index as u32 % 12 + 1);
            let next = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) };
            assert_eq!(next - days_from_civil(y, m, 1), days_in(index) as i32, "{}", month_label(index));
        }
    }
}
