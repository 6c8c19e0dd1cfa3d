import Foundation
import Logging
import ServiceLifecycle

/// Scheduled backups (`[store] backup_every`): every period, an online backup of the SQLite
/// database named `<db-name>-<UTC stamp>.sqlite` in the backup folder, then the oldest scheduled
/// backups beyond `keep` are deleted (only files of that naming pattern are ever touched). A failed
/// backup is logged and reported, and the next period tries again; collection never stops for it.
package struct BackupService: Service {
    /// What one scheduled backup did.
    package struct Completion: Sendable, Hashable {
        /// The backup written, or nil when it failed.
        package var path: String?
        /// Older backups deleted to keep `keep` generations.
        package var removed: [String]
        /// Why the backup (or deleting an old one) failed, if it did.
        package var failure: String?
    }

    let database: DatabaseFile
    let directory: String
    let every: Duration
    let keep: Int
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let logger: Logger?
    /// Each backup's completion, in order (the newest 64 kept for a slow reader); finishes when the service stops.
    package let completions: AsyncStream<Completion>
    private let continuation: AsyncStream<Completion>.Continuation

    package init(
        databasePath: String, directory: String, every: Duration, keep: Int, clock: any Clock<Duration>,
        timeSource: any TimeSource, logger: Logger? = nil
    ) {
        database = DatabaseFile(path: databasePath)
        self.directory = directory
        self.every = every
        self.keep = max(1, keep)
        self.clock = clock
        self.timeSource = timeSource
        self.logger = logger
        (completions, continuation) = AsyncStream.makeStream(of: Completion.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// The configured backup folder (`~` expanded), or a `backups` folder beside the database.
    package static func directory(for store: StoreConfiguration, databasePath: String, paths: XDGPaths) -> String {
        store.backupDirectory.map(paths.expandingTilde)
            ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("backups").path
    }

    package func run() async {
        defer { continuation.finish() }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await clock.sleep(for: every, purpose: "backup")
                continuation.yield(backUp())
            }
        }
    }

    /// Takes one backup now and deletes the generations beyond `keep`.
    func backUp() -> Completion {
        let name = Self.baseName(of: database.path)
        let destination = URL(fileURLWithPath: directory).appendingPathComponent("\(name)-\(timeSource.now().fileStamp).sqlite")
            .path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            return failed("cannot create the backup folder \(directory): \(error.localizedDescription)")
        }
        let report: DatabaseFile.CopyReport
        do {
            report = try database.backup(to: destination)
        } catch {
            return failed("\(error)")
        }
        var completion = Completion(path: report.path, removed: [], failure: nil)
        for old in Self.generations(of: name, in: directory).dropLast(keep) {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(old).path
            do {
                try FileManager.default.removeItem(atPath: path)
                completion.removed.append(path)
            } catch {
                completion.failure = "cannot delete the old backup \(path): \(error.localizedDescription)"
                logger?.warning("scheduled backup: \(completion.failure ?? "")")
            }
        }
        logger?.info(
            "scheduled backup written",
            metadata: [
                "path": "\(report.path)", "bytes": "\(report.bytes)", "removed": "\(completion.removed.count)"
            ])
        return completion
    }

    private func failed(_ reason: String) -> Completion {
        logger?.warning(
            "scheduled backup failed; collection goes on and the next backup is tried on schedule",
            metadata: ["reason": "\(reason)"])
        return Completion(path: nil, removed: [], failure: reason)
    }

    /// `ticktop` for `/data/ticktop.sqlite`.
    static func baseName(of databasePath: String) -> String {
        URL(fileURLWithPath: databasePath).deletingPathExtension().lastPathComponent
    }

    /// The scheduled backups of `name` in `directory`, oldest first: files named exactly
    /// `<name>-YYYYMMDDTHHMMSSZ.sqlite` (the stamp sorts as the time does).
    static func generations(of name: String, in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { file in
            guard file.hasPrefix(name + "-"), file.hasSuffix(".sqlite") else { return false }
            let stamp = file.dropFirst(name.count + 1).dropLast(".sqlite".count)
            return isStamp(stamp)
        }.sorted()
    }

    /// Whether `text` has the form of `Timestamp.fileStamp`: `20261206T031500Z`.
    private static func isStamp(_ text: Substring) -> Bool {
        let characters = Array(text)
        guard characters.count == 16, characters[8] == "T", characters[15] == "Z" else { return false }
        return (characters[0..<8] + characters[9..<15]).allSatisfy { $0.isASCII && $0.isNumber }
    }
}
