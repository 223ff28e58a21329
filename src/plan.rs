//! `--cadence-plan FILE`: each cadence's planned touches, as day offsets from touch 1
//! and (optionally) channels. The report then shows how closely the team kept to each
//! plan, and the due list uses the planned gap instead of the team's usual one.
//!
//! ```toml
//! # One table per cadence, named as in the data (case and spaces do not matter).
//! [cadence."6-touch 30-day"]
//! touches = [
//!   { day = 0, channel = "email" },
//!   { day = 3, channel = "call" },
//!   { day = 7 },                      # channel optional
//! ]
//! ```
//!
//! Days count from the day touch 1 is sent; the first entry is touch 1 (normally day 0;
//! a plan starting at day 2 means the same as one starting at day 0). Days must not go
//! down. Unknown keys, unknown channel words and an empty plan are errors that name the
//! file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ingest::cells::{parse_channel, ChannelCell};
use crate::model::Channel;

/// One planned touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedTouch {
    /// Days after touch 1.
    pub day: i32,
    /// The planned channel, if the plan names one.
    pub channel: Option<Channel>,
}

/// One cadence's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadencePlan {
    /// The cadence name as the plan writes it.
    pub name: String,
    /// Touch 1, 2, … in order; `touches[0].day` is 0.
    pub touches: Vec<PlannedTouch>,
}

impl CadencePlan {
    /// The planned gap in days between touch `k` and touch `k + 1`; `None` past the
    /// end of the plan.
    pub fn gap_after(&self, k: u32) -> Option<i32> {
        let k = k as usize;
        (k >= 1 && k < self.touches.len()).then(|| self.touches[k].day - self.touches[k - 1].day)
    }
}

/// Every cadence of a plan file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The file it was read from.
    pub path: PathBuf,
    /// The cadences, in name order.
    pub cadences: Vec<CadencePlan>,
}

impl Plan {
    /// The index of a cadence's plan, matched ignoring case and surrounding spaces.
    pub fn position(&self, cadence: &str) -> Option<usize> {
        let key = cadence.trim().to_lowercase();
        self.cadences.iter().position(|c| c.name.trim().to_lowercase() == key)
    }

    /// The plan of a cadence, matched as [`Plan::position`] does.
    pub fn find(&self, cadence: &str) -> Option<&CadencePlan> {
        self.position(cadence).map(|i| &self.cadences[i])
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    cadence: BTreeMap<String, CadenceShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceShape {
    touches: Vec<TouchShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TouchShape {
    day: i64,
    channel: Option<String>,
}

/// Finds where `needle` first appears after the header of `[cadence."name"]`, for
/// messages about a value serde accepted but the plan rules do not.
fn locate(text: &str, cadence: &str, needle: &str) -> (u64, u64) {
    let start = text.find(&format!("\"{cadence}\"")).or_else(|| text.find(cadence)).unwrap_or(0);
    let at = text[start..].find(needle).map_or(start, |i| start + i);
    crate::error::line_col(text, at)
}

/// Reads and checks a plan file.
pub fn load(path: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
    parse(path, &text)
}

/// Parses plan text (`path` is for messages).
pub fn parse(path: &Path, text: &str) -> Result<Plan> {
    let err = |(line, column): (u64, u64), message: String| Error::ConfigFile {
        path: path.to_owned(),
        line,
        column,
        message,
    };
    let shape: FileShape = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or((1, 1), |s| crate::error::line_col(text, s.start));
        err(at, format!("{}; see README, \"Cadence plan\", for the layout", e.message()))
    })?;
    let mut cadences = Vec::new();
    for (name, c) in shape.cadence {
        if c.touches.is_empty() {
            return Err(err(
                locate(text, &name, "touches"),
                format!("cadence {name:?} has no touches; list at least touch 1 as {{ day = 0 }}"),
            ));
        }
        let first = c.touches[0].day;
        let mut touches = Vec::with_capacity(c.touches.len());
        for (i, t) in c.touches.iter().enumerate() {
            if t.day < 0 || t.day > 3650 {
                return Err(err(
                    locate(text, &name, &format!("day = {}", t.day)),
                    format!("cadence {name:?}, touch {}: day {} is not between 0 and 3650", i + 1, t.day),
                ));
            }
            if i > 0 && t.day < c.touches[i - 1].day {
                return Err(err(
                    locate(text, &name, &format!("day = {}", t.day)),
                    format!(
                        "cadence {name:?}, touch {}: day {} comes before touch {}'s day {}; list the touches in order",
                        i + 1,
                        t.day,
                        i,
                        c.touches[i - 1].day
                    ),
                ));
            }
            let channel = match t.channel.as_deref() {
                None => None,
                Some(word) => match parse_channel(word) {
                    ChannelCell::Touch(ch) if ch != Channel::Other || word.trim().eq_ignore_ascii_case("other") => Some(ch),
                    _ => {
                        return Err(err(
                            locate(text, &name, word),
                            format!("cadence {name:?}, touch {}: unknown channel {word:?}; use email, call, meeting, text, linkedin, letter or visit", i + 1),
                        ))
                    }
                },
            };
            touches.push(PlannedTouch { day: (t.day - first) as i32, channel });
        }
        cadences.push(CadencePlan { name, touches });
    }
    // Cadences are matched ignoring case and spaces: two names that differ only in
    // those would let one plan silently win, so the later one in the file is an error.
    let at = |name: &str| {
        text.find(&format!("\"{name}\""))
            .or_else(|| text.find(&format!(".{name}]")))
            .or_else(|| text.find(name))
            .unwrap_or(0)
    };
    for (i, a) in cadences.iter().enumerate() {
        let key = a.name.trim().to_lowercase();
        if let Some(b) = cadences.iter().skip(i + 1).find(|b| b.name.trim().to_lowercase() == key) {
            let (first, second) = if at(&a.name) <= at(&b.name) { (a, b) } else { (b, a) };
            return Err(err(
                crate::error::line_col(text, at(&second.name)),
                format!(
                    "cadence {:?} is the same as {:?} (names ignore case and spaces): keep one of them",
                    second.name, first.name
                ),
            ));
        }
    }
    Ok(Plan { path: path.to_owned(), cadences })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Plan> {
        parse(Path::new("plan.toml"), text)
    }

    #[test]
    fn reads_days_and_channels() {
        let plan = p("[cadence.\"Quick 3\"]\ntouches = [{ day = 0, channel = \"Email\" }, { day = 2, channel = \"phone\" }, { day = 9 }]\n").unwrap();
        let c = plan.find(" quick 3 ").expect("matched ignoring case and spaces");
        assert_eq!(c.touches.iter().map(|t| t.day).collect::<Vec<_>>(), vec![0, 2, 9]);
        assert_eq!(c.touches[1].channel, Some(Channel::Call));
        assert_eq!(c.touches[2].channel, None);
        assert_eq!((c.gap_after(1), c.gap_after(2), c.gap_after(3), c.gap_after(0)), (Some(2), Some(7), None, None));
    }

    #[test]
    fn days_count_from_touch_one() {
        let plan = p("[cadence.a]\ntouches = [{ day = 2 }, { day = 5 }]\n").unwrap();
        assert_eq!(plan.cadences[0].touches.iter().map(|t| t.day).collect::<Vec<_>>(), vec![0, 3]);
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = p("[cadence.a]\ntouches = [{ day = 0 }]\n\n[cadence.b]\ntouches = [{ day = 0, chanel = \"email\" }]\n")
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("plan.toml:5:"), "{msg}");
        assert!(msg.contains("chanel"), "{msg}");

        let msg = p("[cadence.a]\ntouches = [{ day = 0 }, { day = 7 }, { day = 3 }]\n").unwrap_err().to_string();
        assert!(
            msg.starts_with("plan.toml:2:") && msg.contains("touch 3: day 3 comes before touch 2's day 7"),
            "{msg}"
        );

        let msg = p("[cadence.a]\ntouches = [{ day = 0, channel = \"pigeon\" }]\n").unwrap_err().to_string();
        assert!(msg.starts_with("plan.toml:2:") && msg.contains("unknown channel \"pigeon\""), "{msg}");

        let msg = p("[cadence.a]\ntouches = []\n").unwrap_err().to_string();
        assert!(msg.contains("has no touches"), "{msg}");
    }

    #[test]
    fn cadences_differing_only_in_case_name_the_second_line() {
        let msg = p("[cadence.\"quick 3\"]\ntouches = [{ day = 0 }]\n\n[cadence.\"Quick 3\"]\ntouches = [{ day = 0 }, { day = 2 }]\n").unwrap_err().to_string();
        assert!(
            msg.starts_with("plan.toml:4:") && msg.contains("cadence \"Quick 3\" is the same as \"quick 3\""),
            "{msg}"
        );
        let msg = p("[cadence.b]\ntouches = [{ day = 0 }]\n[cadence.\" B \"]\ntouches = [{ day = 0 }]\n")
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with("plan.toml:3:") && msg.contains("\" B \" is the same as \"b\""), "{msg}");
        assert!(p("[cadence.a]\ntouches = [{ day = 0 }]\n[cadence.ab]\ntouches = [{ day = 0 }]\n").is_ok());
    }
}
