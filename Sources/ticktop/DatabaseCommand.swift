import ArgumentParser
import Collector
import Foundation
import MonitorUI

/// `ticktop db ...`: backup, restore, check, export and prune the SQLite store.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Back up, restore, check, export or prune the SQLite store.",
        subcommands: [
            DatabaseBackupCommand.self, DatabaseRestoreCommand.self, DatabaseCheckCommand.self, DatabaseExportCommand.self,
            DatabasePruneCommand.self
        ])

    /// The database file the options name (`--db`, else the configured or default path), not opened.
    static func file(_ files: FileOptions) throws -> DatabaseFile {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try LaunchSetup.loadConfiguration(path: files.config, environment: environment).configuration
        guard configuration.store.kind == .sqlite || files.db != nil else {
            LaunchSetup.fail(
                configuration.store.kind == .postgres
                    ? "the configured store is PostgreSQL (store.kind = \"postgres\"): `ticktop db` works on SQLite files "
                        + "(use pg_dump and pg_restore for PostgreSQL); pass --db PATH"
                    : "the configured store is kept in memory (store.kind = \"memory\"): there is no database file; pass --db PATH")
            throw ExitCode(OnceVerdict.exitUsage)
        }
        let paths = XDGPaths(environment: environment)
        return DatabaseFile(path: files.db.map(paths.expandingTilde) ?? paths.databasePath(for: configuration.store))
    }

    /// Runs a store operation; a failure is printed and ends the command with exit status 1.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }
}

struct DatabaseBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistently, even while ticktop runs (SQLite's online backup).")

    @Argument(help: "The backup file to create (it must not exist).")
    var path: String

    @OptionGroup var files: FileOptions

    func run() async throws {
        let file = try DatabaseCommand.file(files)
        let started = ContinuousClock.now
        let report = try DatabaseCommand.run { try file.backup(to: path) }
        let seconds = (ContinuousClock.now - started).secondsValue
        print(
            "backed up \(file.path) to \(report.path): \(report.pages) pages, \(DisplayFormat.bytes(report.bytes)) in \(DisplayFormat.fixed(seconds, 2))s"
        )
    }
}

struct DatabaseRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup, after checking the backup's integrity; the old file is kept.",
        discussion: """
            The backup must pass SQLite's integrity check and be a ticktop database this build can read. It is copied
            beside the database and swapped in with a rename; the database it replaces is kept as
            <database>.before-restore-<UTC time>. Stop ticktop first: a database in use is not replaced.
            """)

    @Argument(help: "The backup file to restore.")
    var path: String

    @OptionGroup var files: FileOptions

    func run() async throws {
        let file = try DatabaseCommand.file(files)
        let started = ContinuousClock.now
        let report = try DatabaseCommand.run { try file.restore(from: path, now: SystemTimeSource().now()) }
        let seconds = (ContinuousClock.now - started).secondsValue
        print(
            "restored \(file.path) from \(path): \(report.pages) pages, \(DisplayFormat.bytes(report.bytes)) in \(DisplayFormat.fixed(seconds, 2))s"
        )
        if let previous = report.previous { print("the database it replaced is kept at \(previous)") }
    }
}

struct DatabaseCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database's integrity and what history it holds, without changing it.",
        discussion: """
            Exit status: 0 when the file is sound and no stored series has gaps, 1 when it fails its integrity check
            (or cannot be read), 5 when it is sound but some series have gaps against the market calendar.
            """)

    @OptionGroup var files: FileOptions

    func run() async throws {
        let file = try DatabaseCommand.file(files)
        let health = try DatabaseCommand.run { try file.check() }
        let report = DatabaseCheckReport(path: file.path, health: health, finder: GapFinder())
        print(report.lines().joined(separator: "\n"))
        if !health.isIntact { throw ExitCode(OnceVerdict.exitRuntimeFailure) }
        if report.hasGaps { throw ExitCode(DatabaseCheckReport.exitGaps) }
    }
}

struct DatabaseExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored bars, quotes, anomalies, alerts or bar revisions as CSV or JSON Lines.")

    @Argument(help: "What to export: \(DatabaseExport.Table.allCases.map(\.rawValue).joined(separator: ", ")).")
    var table: String = "bars"

    @Option(help: "csv or jsonl.")
    var format: String = "csv"

    @Option(parsing: .upToNextOption, help: "Only these symbols (default: all).")
    var symbols: [String] = []

    @Option(help: "Bars and revisions: only this timeframe (default: all).")
    var timeframe: String?

    @OptionGroup var range: TimeRangeOptions

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var files: FileOptions

    func export() throws -> DatabaseExport {
        guard let table = DatabaseExport.Table(rawValue: table.lowercased()) else {
            throw ValidationError(
                "unknown table '\(table)'; use one of \(DatabaseExport.Table.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let format = DatabaseExport.Format(rawValue: format.lowercased()) else {
            throw ValidationError("--format: unknown format '\(format)'; use csv or jsonl")
        }
        let symbols = try symbols.map { text in
            do { return try Symbol(text) } catch { throw ValidationError("--symbols: \(text): \(error)") }
        }
        return DatabaseExport(
            table: table, format: format, symbols: symbols, timeframe: try timeframe.map(TimeframeArgument.parse),
            range: try range.range(now: SystemTimeSource().now()))
    }

    func validate() throws { _ = try export() }

    func run() async throws {
        let export = try export()
        let file = try DatabaseCommand.file(files)
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                LaunchSetup.fail("cannot create \(output)")
                throw ExitCode(OnceVerdict.exitRuntimeFailure)
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        } else {
            handle = FileHandle.standardOutput
        }
        var buffer = Data()
        let count = try DatabaseCommand.run {
            try export.run(on: file) { line in
                buffer.append(contentsOf: line.utf8)
                if buffer.count >= 1 << 16 {
                    handle.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        handle.write(buffer)
        if output != nil {
            try handle.close()
            print("exported \(count) \(export.table.rawValue) rows to \(output ?? "")")
        }
    }
}

struct DatabasePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete history older than a cutoff (bars, revisions, anomalies, cleared alerts, health transitions, ticks).",
        discussion: """
            Without --yes it only counts what would be deleted. Open alerts are kept whatever their age. With
            --timeframe only bars (and their revisions) of that timeframe are deleted. SQLite reuses the freed space.
            """)

    @Option(help: "Delete what is older than this, e.g. 90d, 12h.")
    var olderThan: String

    @Option(help: "Only bars of this timeframe.")
    var timeframe: String?

    @Flag(help: "Delete; without it, only count.")
    var yes = false

    @OptionGroup var files: FileOptions

    func age() throws -> Duration {
        guard let age = DurationParser.parse(olderThan), age > .zero else {
            throw ValidationError("--older-than: expected \(DurationParser.expectedForm), greater than zero, got '\(olderThan)'")
        }
        return age
    }

    func validate() throws {
        _ = try age()
        _ = try timeframe.map(TimeframeArgument.parse)
    }

    func run() async throws {
        let prune = DatabasePrune(
            cutoff: SystemTimeSource().now() - (try age()), timeframe: try timeframe.map(TimeframeArgument.parse))
        let file = try DatabaseCommand.file(files)
        let counts = try DatabaseCommand.run { yes ? try prune.delete(in: file) : try prune.count(in: file) }
        let what =
            "\(counts.bars) bars, \(counts.revisions) bar revisions, \(counts.anomalies) anomalies, "
            + "\(counts.alerts) cleared alerts, \(counts.transitions) health transitions, \(counts.ticks) ticks"
        let cutoff = prune.cutoff.rfc3339Seconds
        print(
            yes
                ? "deleted \(what) older than \(cutoff)"
                : "would delete \(what) older than \(cutoff); nothing deleted (add --yes)")
    }
}
