//! Threads: the one way the crate joins scoped threads, and the one heap they share.

/// Joins a scoped thread and returns what it returned; a panic on it goes on here, as if
/// the work had run on this thread.
pub fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Has every thread allocate from glibc's one main heap (call before any thread is
/// made). By default each thread that allocates while another holds the heap's lock
/// gets a heap of its own, and memory freed in one heap is not reused by a thread of
/// another: at a million deals the frames built on two threads beside each other held
/// 12–18 MB more at the peak. The price is the lock when several threads allocate at
/// once, about 0.02 s in the report stage (docs/decisions.md, "The metrics on two
/// cores, and one heap").
pub fn one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; with no other thread running
    // yet nothing can allocate meanwhile.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}
