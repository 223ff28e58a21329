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

/// The system allocator, with the big blocks backed by huge pages where the kernel
/// allows it (transparent huge pages in `madvise` mode, the common default): a 2 MiB
/// page is one page fault where 512 small pages were 512.
pub struct HugePages;

/// Blocks from this size on are advised.
const HUGE: usize = 2 << 20;

/// Advises the kernel to back the whole 2 MiB pages of a block with huge pages.
fn advise(p: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if len >= HUGE && !p.is_null() {
        let start = p as usize;
        let first = start.div_ceil(HUGE) * HUGE;
        let end = start.saturating_add(len) / HUGE * HUGE;
        if end > first {
            // SAFETY: madvise only advises the kernel on how to back pages of this live
            // block (their contents stay as they are); a refusal is harmless and ignored.
            unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE) };
        }
    }
}

// SAFETY: every call is passed to the system allocator as it is; `advise` only adds
// advice on the pages of the block it returned.
unsafe impl std::alloc::GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { std::alloc::System.alloc(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { std::alloc::System.realloc(ptr, layout, new_size) };
        advise(p, new_size);
        p
    }
}
