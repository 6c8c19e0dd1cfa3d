import Collector
import CollectorTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// Scheduled backups (`[store] backup_every`) on a manual clock, into a temporary directory.
@Suite("Scheduled backups", .stopsItsRigs)
struct BackupServiceTests {
    typealias S = StoreSamples
    let clock = ManualClock()
    let every = Duration.seconds(3_600)

    func service(_ directory: TemporaryDirectory, keep: Int = 7, logger: Logger = .quiet()) -> BackupService {
        BackupService(
            databasePath: directory.path("ticktop.sqlite"), directory: directory.path("backups"), every: every, keep: keep,
            clock: clock, timeSource: clock, logger: logger)
    }

    /// Lets period `number` (from 1) pass once the service sleeps until its end, and returns what that backup did.
    func period(
        _ number: Int, _ completions: inout AsyncStream<BackupService.Completion>.Iterator
    ) async -> BackupService.Completion? {
        await clock.waitForSleep(until: .init(offset: every * number))
        clock.advance(by: every)
        return await completions.next()
    }

    static func files(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func eachPeriodWritesABackupNamedAfterTheDatabaseAndTheUTCTime() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-scheduled")
        let store = try SQLiteStore(path: directory.path("ticktop.sqlite"), timeSource: FixedTimeSource(S.origin))
        try await store.write(StoreBatch(bars: (0..<5).map { S.bar($0) }))
        let backups = service(directory)
        let rig = ServiceRig([("backup", backups)])
        var completions = backups.completions.makeAsyncIterator()

        let first = try #require(await period(1, &completions))
        // ManualClock starts at 2026-03-02T15:00:00Z; the first backup is an hour later.
        #expect(first.path == directory.path("backups/ticktop-20260302T160000Z.sqlite"))
        #expect(first.failure == nil)
        try await store.write(StoreBatch(bars: [S.bar(5)]))
        let second = try #require(await period(2, &completions))
        #expect(second.path == directory.path("backups/ticktop-20260302T170000Z.sqlite"))
        #expect(Self.files(directory.path("backups")) == ["ticktop-20260302T160000Z.sqlite", "ticktop-20260302T170000Z.sqlite"])

        let earlier = try SQLiteStore(path: try #require(first.path))
        #expect(try await earlier.barCount(symbol: S.aapl, timeframe: .oneMinute) == 5)
        let later = try SQLiteStore(path: try #require(second.path))
        #expect(try await later.barCount(symbol: S.aapl, timeframe: .oneMinute) == 6)
        await rig.stop()
    }

    @Test func onlyTheNewestGenerationsAreKeptAndOtherFilesAreNeverTouched() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-scheduled")
        _ = try SQLiteStore(path: directory.path("ticktop.sqlite"))
        try FileManager.default.createDirectory(atPath: directory.path("backups"), withIntermediateDirectories: true)
        // Not scheduled backups of this database, though some look alike: they stay.
        let others = [
            "notes.txt", "ticktop-before-upgrade.sqlite", "other-20200101T000000Z.sqlite",
            "ticktop-20200101T000000Z.sqlite.partial"
        ]
        for name in others { try Data("x".utf8).write(to: URL(fileURLWithPath: directory.path("backups/\(name)"))) }
        let backups = service(directory, keep: 2)
        let rig = ServiceRig([("backup", backups)])
        var completions = backups.completions.makeAsyncIterator()

        #expect(await period(1, &completions)?.removed == [])
        #expect(await period(2, &completions)?.removed == [])
        let third = try #require(await period(3, &completions))
        #expect(third.removed == [directory.path("backups/ticktop-20260302T160000Z.sqlite")])
        #expect(
            Self.files(directory.path("backups"))
                == (others + ["ticktop-20260302T170000Z.sqlite", "ticktop-20260302T180000Z.sqlite"]).sorted())
        await rig.stop()
    }

    @Test func aFailedBackupIsLoggedAndTheNextPeriodTriesAgain() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-scheduled")
        let logs = LogCapture()
        let backups = service(directory, logger: logs.logger())
        let rig = ServiceRig([("backup", backups)])
        var completions = backups.completions.makeAsyncIterator()

        // No database yet: the backup fails, and says so.
        let failed = try #require(await period(1, &completions))
        #expect(failed.path == nil)
        #expect(failed.failure?.contains("ticktop.sqlite") == true)
        #expect(logs.text.contains("scheduled backup failed"))
        _ = try SQLiteStore(path: directory.path("ticktop.sqlite"))
        let next = try #require(await period(2, &completions))
        #expect(next.failure == nil)
        #expect(Self.files(directory.path("backups")) == ["ticktop-20260302T170000Z.sqlite"])
        await rig.stop()
    }

    @Test func aGracefulShutdownEndsTheWaitForTheNextBackup() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-scheduled")
        let backups = service(directory)
        let group = ServiceGroup(services: [backups], logger: .quiet())
        let running = Task { try await group.run() }
        await clock.waitForSleep(until: .init(offset: every))
        await group.triggerGracefulShutdown()
        try await withSafetyLimit { try await running.value }
        var completions = backups.completions.makeAsyncIterator()
        #expect(await completions.next() == nil, "no backup was taken and the stream finished")
        #expect(clock.elapsed == .zero)
    }

    // MARK: Configuration and wiring

    @Test func scheduledBackupsAreOffByDefault() throws {
        let store = try ConfigLoader.parse("", file: "test.toml").store
        #expect(store.backupEvery == nil)
        #expect(store.backupKeep == 7)
        #expect(store.backupDirectory == nil)
    }

    @Test func theKeysAreRead() throws {
        let store = try ConfigLoader.parse(
            "[store]\nbackup_every = \"6h\"\nbackup_keep = 3\nbackup_dir = \"/srv/backups\"\n", file: "test.toml"
        ).store
        #expect(store.backupEvery == .seconds(6 * 3_600))
        #expect(store.backupKeep == 3)
        #expect(store.backupDirectory == "/srv/backups")
        #expect(try ConfigLoader.parse("[store]\nbackup_every = \"off\"\n", file: "test.toml").store.backupEvery == nil)
    }

    @Test func theDefaultFolderIsBesideTheDatabase() {
        let paths = XDGPaths(environment: ["HOME": "/home/u"])
        #expect(BackupService.directory(for: .defaults, databasePath: "/data/ticktop.sqlite", paths: paths) == "/data/backups")
        let configured = StoreConfiguration(backupDirectory: "~/ticktop-backups")
        #expect(
            BackupService.directory(for: configured, databasePath: "/data/ticktop.sqlite", paths: paths)
                == "/home/u/ticktop-backups")
    }

    @Test(arguments: [
        ("[store]\nbackup_every = \"1h\"\n", true),
        ("", false),
        ("[store]\nkind = \"memory\"\nbackup_every = \"1h\"\n", false)
    ])
    func theRuntimeRunsBackupsOnlyForASQLiteStoreWithBackupEvery(toml: String, expected: Bool) throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-scheduled")
        let runtime = try CollectorRuntime(
            configuration: try ConfigLoader.parse(toml, file: "test.toml"), symbols: [],
            databasePath: directory.path("ticktop.sqlite"),
            faults: [:], clock: clock, timeSource: clock, environment: [:], logger: .quiet())
        #expect(runtime.services.map(\.serviceName).contains("backup") == expected)
    }
}
