import Foundation

/// The process's CPU time (user + system, `getrusage`) and its resident-memory high-water mark
/// (`VmHWM` in /proc/self/status, reset by writing 5 to /proc/self/clear_refs).
struct ProcessUsage {
    /// CPU seconds used so far, user and system.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Starts a new high-water mark at the current resident size (Linux); false when it cannot.
    @discardableResult
    static func resetPeakMemory() -> Bool {
        (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }

    /// The resident-memory high-water mark in bytes since the last reset (or the start), if known.
    static func peakMemory() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}
