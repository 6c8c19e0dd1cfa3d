import CollectorTestSupport
import Foundation

/// A PostgreSQL server of one test's own, started with `.ci/postgres start` (a temporary data
/// directory, a random port), which the test stops and starts again under running processes
/// (`down`: `pg_ctl stop -m fast`, every session ended; `up`: the same data and port) without
/// touching the server the other tests share (`TICKTOP_TEST_POSTGRES_URL`). `remove()` stops it
/// and deletes its directory.
struct PrivatePostgresServer {
    /// Its database's URL (with the password): given to the processes through the environment.
    let url: String
    let directory: String

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The script beside the sources: Tests/EndToEndTests/ -> the package root's `.ci/postgres`.
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".ci/postgres").path
    }

    /// Starts a new cluster; fails when PostgreSQL is not installed.
    static func start() async throws -> PrivatePostgresServer {
        let exports = try await run(["start"])
        var values: [String: String] = [:]
        for line in exports.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        guard let url = values["TICKTOP_TEST_POSTGRES_URL"], let directory = values["TICKTOP_TEST_POSTGRES_DIR"] else {
            throw Failure(description: ".ci/postgres start printed no URL: \(exports)")
        }
        return PrivatePostgresServer(url: url, directory: directory)
    }

    /// Stops the server: its sessions are ended at once, the data kept.
    func down() async throws { try await Self.run(["down", directory]) }

    /// Starts the stopped server again on the same data and port.
    func up() async throws { try await Self.run(["up", directory]) }

    /// Stops the server if it runs and deletes its directory.
    func remove() async { _ = try? await Self.run(["stop", directory]) }

    /// Runs the script with its output in files, not pipes: the server it starts keeps every
    /// descriptor it inherits open, so a pipe would never reach its end.
    @discardableResult
    private static func run(_ arguments: [String]) async throws -> String {
        try await offPool {
            let directory = try TemporaryDirectory(prefix: "ticktop-e2e-postgres")
            let outPath = directory.url.appendingPathComponent("out").path
            let errPath = directory.url.appendingPathComponent("err").path
            // Through a launcher that closes every other descriptor (Python's subprocess does), as for tmux: the
            // server would inherit the one Process watches for the child's exit, and the exit would never be seen.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments =
                [
                    "-c",
                    "import subprocess, sys; sys.exit(subprocess.call(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=open(sys.argv[1], 'w'), stderr=open(sys.argv[2], 'w'), close_fds=True))",
                    outPath, errPath, "/bin/bash", script
                ] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            guard process.terminationStatus == 0 else {
                let problem = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
                throw Failure(description: ".ci/postgres \(arguments.joined(separator: " ")) failed: \(problem)")
            }
            return text
        }
    }
}
