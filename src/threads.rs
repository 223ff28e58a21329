//! Scoped threads: the one way the crate joins them.

/// Joins a scoped thread and returns what it returned; a panic on it goes on here, as if
/// the work had run on this thread.
pub fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
