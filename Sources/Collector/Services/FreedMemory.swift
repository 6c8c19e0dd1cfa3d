#if canImport(Glibc)
import Glibc
#endif

/// Gives memory the process has freed back to the system. glibc's malloc keeps freed pages
/// for reuse: the start-up backfill had about 50 MB of history on its way to the store at its
/// peak (50 symbols) and the board holds about 12 MB afterwards, yet kept some 20 MB more
/// resident for good. Since the backfill waits for room in the store writer its heap peaks at
/// about 19 MB, and the board's RSS with and without the trim differs by less than the noise
/// between runs (kept: it costs one call). `malloc_trim` hands the pages back; it is
/// looked up at run time, so with another C library nothing happens.
package enum FreedMemory {
    /// Returns true when the C library had a `malloc_trim` to call.
    @discardableResult
    package static func giveBack() -> Bool {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let trim = dlsym(process, "malloc_trim") else { return false }
        defer { dlclose(process) }
        _ = unsafeBitCast(trim, to: Trim.self)(0)
        return true
        #else
        return false
        #endif
    }

    /// Caps glibc's malloc at `count` arenas (`mallopt(M_ARENA_MAX)`); true when it took. By
    /// default each thread that meets another in malloc gets an arena of its own (up to 8 per
    /// core), and what is freed in one stays resident for it: the board at 200 symbols held
    /// 90-109 MB with the default and 83-87 MB with 2 arenas, for the same CPU. Looked up at run
    /// time like `malloc_trim`; with another C library nothing happens.
    @discardableResult
    package static func limitArenas(to count: Int32 = 2) -> Bool {
        #if canImport(Glibc)
        typealias Option = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let option = dlsym(process, "mallopt") else { return false }
        defer { dlclose(process) }
        let arenaMax: Int32 = -8  // M_ARENA_MAX in glibc's malloc.h
        return unsafeBitCast(option, to: Option.self)(arenaMax, count) == 1
        #else
        return false
        #endif
    }
}
