//! Writing output without losing anything: everything is written into a staging
//! folder or file beside its target and moved into place in one step that refuses to
//! replace what is there ([`rename_noreplace`]); `--force` replaces only what this tool
//! wrote ([`place`]), never a folder holding an input, the current folder, `/` or home.
//! Also the one way command output reaches stdout ([`print`]), so that a closed pipe is
//! a quiet success and a full disk an error naming the stream.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Moves `from` to `to` in one step, failing with [`io::ErrorKind::AlreadyExists`] when
/// `to` exists, even if it appeared a moment ago (Linux: `renameat2(RENAME_NOREPLACE)`).
/// Where the kernel or file system lacks that call, it falls back to a check then a
/// rename, which leaves a race of microseconds.
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
        };
        let (f, t) = (c(from)?, c(to)?);
        // SAFETY: two NUL-terminated paths that outlive the call; AT_FDCWD makes them
        // relative to the current folder like std::fs::rename.
        let r =
            unsafe { libc::renameat2(libc::AT_FDCWD, f.as_ptr(), libc::AT_FDCWD, t.as_ptr(), libc::RENAME_NOREPLACE) };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(e);
        }
    }
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "already exists"));
    }
    std::fs::rename(from, to)
}

/// True for an error of a move onto something that exists (`EEXIST`, or `ENOTEMPTY`
/// from a plain rename onto a folder).
fn exists(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::AlreadyExists || e.kind() == io::ErrorKind::DirectoryNotEmpty
}

/// A fresh path beside `target` named `.NAME.WHAT-PID[-N]` that does not exist yet.
pub fn beside(target: &Path, what: &str) -> PathBuf {
    let parent = parent_of(target);
    let name = target.file_name().map_or("output".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let mut n = 0u32;
    loop {
        let p = parent.join(if n == 0 { format!(".{name}.{what}-{pid}") } else { format!(".{name}.{what}-{pid}-{n}") });
        if std::fs::symlink_metadata(&p).is_err() || n >= 1000 {
            return p;
        }
        n += 1;
    }
}

/// The folder `target` goes into (`.` for a bare name).
pub fn parent_of(target: &Path) -> &Path {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// True when `dir` holds a followup report: a `metrics.json` whose `schema` is ours.
pub fn is_report(dir: &Path) -> bool {
    #[derive(serde::Deserialize)]
    struct Marker {
        schema: String,
    }
    let is_dir = std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    is_dir
        && std::fs::read(dir.join("metrics.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<Marker>(&b).ok())
            .is_some_and(|m| m.schema == crate::metrics::SCHEMA)
}

/// True when `dir` is a real (not linked) folder with nothing in it.
pub fn is_empty_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// What `--force` may replace as a report folder: one of our reports, or an empty folder.
pub fn is_replaceable_report(dir: &Path) -> bool {
    is_report(dir) || is_empty_dir(dir)
}

/// Why `out` must not be replaced even with `--force`, whatever it holds: it is `/`,
/// the home folder, the current folder or one holding it, or it holds (at any depth) one
/// of the `protected` files (the inputs). Paths are compared both as written (made
/// absolute) and resolved (links followed).
pub fn why_protected(out: &Path, protected: &[PathBuf]) -> Option<String> {
    let forms = |p: &Path| -> Vec<PathBuf> {
        let mut v = Vec::new();
        if let Ok(a) = std::path::absolute(p) {
            v.push(a);
        }
        if let Ok(c) = p.canonicalize() {
            v.push(c);
        }
        v
    };
    let outs = forms(out);
    let holds = |p: &Path| forms(p).iter().any(|f| outs.iter().any(|o| f.starts_with(o)));
    if outs.iter().any(|o| o.parent().is_none()) {
        return Some("is the root folder".into());
    }
    if std::env::current_dir().is_ok_and(|d| holds(&d)) {
        return Some("is the current folder or holds it".into());
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        if holds(Path::new(&home)) {
            return Some("is your home folder or holds it".into());
        }
    }
    if out.file_name().is_none() {
        return Some("is not a folder name (it ends in ..)".into());
    }
    protected.iter().find(|p| holds(p)).map(|p| format!("holds the input {}", crate::error::shown_path(p)))
}

/// The error for a target that exists when it may not be replaced: a folder without
/// `--force`, or anything else.
fn exists_error(out: &Path, force: bool, kind: &str) -> Error {
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.is_dir() && kind == "report folder" && !force => Error::OutputExists { path: out.to_owned() },
        Ok(m) if m.is_file() && kind == "map file" && !force => Error::OutputExists { path: out.to_owned() },
        Ok(m) if m.is_dir() && kind == "report folder" => Error::Refused {
            path: out.to_owned(),
            reason: "is not a followup report (it has no metrics.json of schema followup/1), so --force does not replace it; \
                     nothing was written. Choose a new folder with --out"
                .into(),
        },
        Ok(m) if m.is_file() && kind == "map file" => Error::Refused {
            path: out.to_owned(),
            reason: "was not written by `followup map`, so --force does not replace it; nothing was written. \
                     Choose another file with --out"
                .into(),
        },
        _ => Error::Refused {
            path: out.to_owned(),
            reason: format!("exists and is not a {kind}; nothing was written and it was left as it is. Choose another path with --out"),
        },
    }
}

/// Checks before any work that `out` can take a new `kind` ("report folder" or "map
/// file"): it does not exist, or `force` is set, it is what `ours` accepts and it is not
/// protected. [`place`] checks again when it moves (this is only to fail early).
pub fn preflight(
    out: &Path,
    force: bool,
    protected: &[PathBuf],
    kind: &str,
    ours: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return Ok(());
    }
    if !force || !ours(out) {
        return Err(exists_error(out, force, kind));
    }
    match why_protected(out, protected) {
        Some(reason) => Err(Error::Refused {
            path: out.to_owned(),
            reason: format!(
                "{reason}, so --force does not replace it; nothing was written. Choose a new folder with --out"
            ),
        }),
        None => Ok(()),
    }
}

/// Moves the finished `stage` (a folder or a file beside `out`) to `out` in one step
/// that never replaces what appeared meanwhile. With `force`, an existing `out` is first
/// moved aside in one step, checked again with `ours` (and moved back, refused, if it is
/// not ours), then the stage moves in and the old one is deleted. On failure the stage
/// is deleted and `out` is as it was.
pub fn place(
    stage: &Path,
    out: &Path,
    force: bool,
    protected: &[PathBuf],
    kind: &str,
    ours: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    let result = place_inner(stage, out, force, protected, kind, ours);
    if result.is_err() {
        remove_any(stage);
    }
    result
}

fn remove_any(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

fn place_inner(
    stage: &Path,
    out: &Path,
    force: bool,
    protected: &[PathBuf],
    kind: &str,
    ours: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    match rename_noreplace(stage, out) {
        Ok(()) => return Ok(()),
        Err(e) if exists(&e) => {}
        Err(e) => return Err(Error::io(out)(e)),
    }
    preflight(out, force, protected, kind, ours)?;
    if !force {
        return Err(exists_error(out, force, kind));
    }
    let old = beside(out, "old");
    match rename_noreplace(out, &old) {
        Ok(()) => {}
        // Gone meanwhile: nothing to replace.
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return rename_noreplace(stage, out).map_err(|_| exists_error(out, false, kind))
        }
        Err(e) => return Err(Error::io(out)(e)),
    }
    let put_back = |err: Error| -> Error {
        match rename_noreplace(&old, out) {
            Ok(()) => err,
            Err(e) => Error::Io {
                path: old.clone(),
                source: io::Error::new(
                    e.kind(),
                    format!("the previous {} is here; move it back by hand ({e})", crate::error::shown_path(out)),
                ),
            },
        }
    };
    // What was moved aside is what gets deleted: it must be ours, checked after the move.
    if !ours(&old) {
        return Err(put_back(Error::Refused {
            path: out.to_owned(),
            reason: format!("changed while this run was writing (it is no longer a {kind} of followup), so --force does not replace it; nothing was written"),
        }));
    }
    if let Err(e) = rename_noreplace(stage, out) {
        let err = if exists(&e) { exists_error(out, false, kind) } else { Error::io(out)(e) };
        return Err(put_back(err));
    }
    if std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir()) {
        std::fs::remove_dir_all(&old).map_err(Error::io(&old))
    } else {
        std::fs::remove_file(&old).map_err(Error::io(&old))
    }
}

/// Writes `bytes` to the file `out` (a `kind` such as "map file") through a staging file
/// and [`place`].
pub fn write_file(
    out: &Path,
    force: bool,
    protected: &[PathBuf],
    kind: &str,
    ours: &dyn Fn(&Path) -> bool,
    bytes: &[u8],
) -> Result<()> {
    preflight(out, force, protected, kind, ours)?;
    let stage = beside(out, "partial");
    let written = (|| -> io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&stage)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        remove_any(&stage);
        return Err(Error::io(out)(e));
    }
    place(&stage, out, force, protected, kind, ours)
}

/// Writes a set of files into the folder `out` without overwriting any: `write` fills a
/// staging folder beside `out`, which then becomes `out` in one step if `out` does not
/// exist, or else has each file moved into `out` in one step that refuses to replace a
/// file of the same name. On failure the files moved so far are taken back out and the
/// staging folder is deleted, so `out` is as it was.
pub fn place_files<T>(out: &Path, write: impl FnOnce(&Path) -> io::Result<T>) -> Result<T> {
    let parent = parent_of(out);
    std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
    let stage = beside(out, "partial");
    std::fs::create_dir(&stage).map_err(Error::io(&stage))?;
    let result = (|| {
        let value = write(&stage).map_err(Error::io(out))?;
        match rename_noreplace(&stage, out) {
            Ok(()) => return Ok(value),
            Err(e) if exists(&e) => {}
            Err(e) => return Err(Error::io(out)(e)),
        }
        if !std::fs::symlink_metadata(out).is_ok_and(|m| m.is_dir()) {
            return Err(Error::Refused {
                path: out.to_owned(),
                reason: "is not a folder; nothing was written. Choose a folder with --out".into(),
            });
        }
        let mut moved: Vec<PathBuf> = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(&stage)
            .map_err(Error::io(&stage))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        entries.sort();
        for name in entries {
            let (from, to) = (stage.join(&name), out.join(&name));
            if let Err(e) = rename_noreplace(&from, &to) {
                for m in &moved {
                    if let Some(n) = m.file_name() {
                        let _ = rename_noreplace(m, &stage.join(n));
                    }
                }
                return Err(if exists(&e) {
                    Error::Refused {
                        path: to,
                        reason:
                            "already exists and was left as it is; nothing was written. Choose a new folder with --out"
                                .into(),
                    }
                } else {
                    Error::io(&to)(e)
                });
            }
            moved.push(to);
        }
        let _ = std::fs::remove_dir(&stage);
        Ok(value)
    })();
    if result.is_err() {
        remove_any(&stage);
    }
    result
}

/// Writes command output to stdout (locked, flushed). A closed pipe comes back as an
/// [`Error::Io`] of kind `BrokenPipe` (see [`is_broken_pipe`]), a full disk as one
/// naming standard output.
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(Error::io("standard output"))
}

/// True when a closed pipe is anywhere in the error's chain: the reader went away
/// (`followup check … | head`), which is not a failure.
pub fn is_broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe) {
            return true;
        }
        cur = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_noreplace_refuses_an_existing_target_and_keeps_both() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "new").expect("write");
        std::fs::write(&b, "theirs").expect("write");
        let e = rename_noreplace(&a, &b).expect_err("must refuse");
        assert!(exists(&e), "{e:?}");
        assert_eq!(std::fs::read_to_string(&b).expect("b"), "theirs");
        assert_eq!(std::fs::read_to_string(&a).expect("a"), "new");
        // An empty folder is replaced by a plain rename; not by this one.
        std::fs::create_dir(dir.path().join("d")).expect("mkdir");
        std::fs::create_dir(dir.path().join("e")).expect("mkdir");
        assert!(rename_noreplace(&dir.path().join("d"), &dir.path().join("e")).is_err());
    }

    #[test]
    fn protected_paths_are_the_inputs_home_root_and_current_folder() {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().join("d");
        std::fs::create_dir_all(d.join("deep")).expect("mkdir");
        let input = d.join("deep/log.csv");
        std::fs::write(&input, "x").expect("write");
        assert!(why_protected(&d, std::slice::from_ref(&input)).is_some_and(|r| r.contains("input")));
        assert_eq!(why_protected(&d, &[dir.path().join("elsewhere.csv")]), None);
        assert!(why_protected(Path::new("/"), &[]).is_some());
        assert!(why_protected(Path::new("."), &[]).is_some());
        assert!(why_protected(&std::env::current_dir().expect("cwd"), &[]).is_some());
    }

    #[test]
    fn a_folder_that_appeared_meanwhile_is_not_replaced_even_when_empty() {
        // std::fs::rename would silently replace an empty folder: the check-then-act race.
        let dir = tempfile::tempdir().expect("tmp");
        let (stage, out) = (dir.path().join(".r.partial"), dir.path().join("r"));
        std::fs::create_dir(&stage).expect("mkdir");
        std::fs::write(stage.join("metrics.json"), "{}").expect("write");
        std::fs::create_dir(&out).expect("someone else's folder");
        let e = place(&stage, &out, false, &[], "report folder", &is_replaceable_report).expect_err("refused");
        assert_eq!(e.exit_code(), 2, "{e}");
        assert!(is_empty_dir(&out), "their folder kept as it was");
        assert!(!stage.exists(), "stage removed");
    }

    #[test]
    fn what_was_moved_aside_is_checked_again_and_put_back_if_not_ours() {
        // Ours when first looked at, not when moved aside (swapped meanwhile).
        let dir = tempfile::tempdir().expect("tmp");
        let (stage, out) = (dir.path().join(".r.partial"), dir.path().join("r"));
        std::fs::create_dir(&stage).expect("mkdir");
        std::fs::create_dir(&out).expect("mkdir");
        std::fs::write(out.join("precious.txt"), "keep").expect("write");
        let looks = std::cell::Cell::new(0);
        let ours = |_: &Path| {
            looks.set(looks.get() + 1);
            looks.get() == 1
        };
        let e = place(&stage, &out, true, &[], "report folder", &ours).expect_err("refused");
        assert_eq!(e.exit_code(), 2, "{e}");
        assert_eq!(std::fs::read_to_string(out.join("precious.txt")).expect("kept"), "keep");
        let left: Vec<_> =
            std::fs::read_dir(dir.path()).expect("ls").filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("r")], "no stage, no .old");
    }

    #[test]
    fn broken_pipe_is_found_in_the_chain() {
        let e = Error::io("standard output")(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&e));
        let e = Error::io("standard output")(io::Error::from(io::ErrorKind::StorageFull));
        assert!(!is_broken_pipe(&e));
    }
}
