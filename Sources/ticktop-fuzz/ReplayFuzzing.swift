import Collector
import CollectorTestSupport
import Foundation

/// Replay files and the watchlist file are read from disk, so each input is written to a
/// file in a private temporary directory first: in memory (`/dev/shm`) where there is one. On a
/// disk, ext4 flushes a file rewritten in place when it is closed (`auto_da_alloc`), and each
/// input waited for the disk: 150-170 executions a second instead of 940-4,800.
enum ReplayFuzzing {
    static let directory: String = {
        var isDirectory: ObjCBool = false
        let memory = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.isWritableFile(atPath: "/dev/shm")
        let path = (memory ? "/dev/shm/" : NSTemporaryDirectory()) + "ticktop-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Removed when libFuzzer exits (a crash leaves it: its input is kept elsewhere anyway).
        atexit { try? FileManager.default.removeItem(atPath: ReplayFuzzing.directory) }
        return path
    }()

    /// Loads `text` as the replay file `fileName` (its name can carry the symbol, as
    /// `AAPL.csv` does), then reads back every symbol's bars and the latest quotes.
    static func run(_ text: String, fileName: String) {
        let path = write(text, fileName)
        var configuration = SourceConfiguration(id: "rp", kind: .replay, replayPath: path)
        configuration.replaySpeed = 1
        let clock = ManualClock()
        guard let source = try? ReplaySource(configuration: configuration, clock: clock, timeSource: clock) else { return }
        _ = source.summary + (source.problemSummary ?? "")
        _ = source.problems.map(\.description)
        let symbols = source.symbols
        BlockingTask.run {
            for symbol in symbols {
                for timeframe in Timeframe.allCases {
                    _ = try? await source.historyBars(for: symbol, timeframe: timeframe, in: Timestamp.supportedRange)
                }
            }
            _ = try? await source.latestQuotes(for: symbols)
        }
    }

    static func watchlist(_ text: String) {
        _ = try? WatchlistFile.load(from: write(text, "watchlists.toml"))
    }

    private static func write(_ text: String, _ name: String) -> String {
        let path = directory + "/" + name
        // In place: `createFile` writes atomically, with an fsync that cost more than the parse.
        try? Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
