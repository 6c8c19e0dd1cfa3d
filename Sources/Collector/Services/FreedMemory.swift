#if canImport(Glibc)
import Glibc
#endif

/// Gives memory the process has freed back to the system. glibc's malloc keeps freed pages
/// for reuse: the start-up backfill has about 50 MB of history on its way to the store at its
/// peak (50 symbols) and the board holds about 12 MB afterwards, yet kept some 20 MB more
/// resident for good. `malloc_trim` hands them back; it is looked up at run time, so with
/// another C library nothing happens.
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
}
