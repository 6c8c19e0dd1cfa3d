import CollectorTestSupport
import Foundation

/// Runs the built `ticktop` binary in a sandbox: HOME and every XDG directory
/// point into a temporary directory, so nothing touches the user's files.
struct TicktopProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
                throw CocoaError(.propertyListReadCorrupt)
            }
            return object
        }
    }

    let home: TemporaryDirectory

    init() throws { home = try TemporaryDirectory(prefix: "ticktop-e2e") }

    /// The binary next to the test bundle (swift test builds it), or `TICKTOP_BINARY`.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["TICKTOP_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.pathExtension == "xctest" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("ticktop")
    }

    var databasePath: String { home.url.appendingPathComponent("db/ticktop.sqlite").path }

    func write(config text: String, name: String = "config.toml") throws -> String {
        let url = home.url.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A started child whose output is collected when it ends. Only `wait()` touches the
    /// process after the start, once.
    final class Running: @unchecked Sendable {
        let process: Process
        let stdout: Pipe
        let stderr: Pipe
        init(process: Process, stdout: Pipe, stderr: Pipe) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
        }
        var pid: Int32 { process.processIdentifier }

        /// Reads both pipes to the end, then waits, so a full pipe cannot block the child
        /// (on a thread of its own: see `offPool`).
        func wait() async -> Output {
            await offPool { [self] in
                let outData = stdout.fileHandleForReading.readDataToEndOfFile()
                let errData = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return Output(
                    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                    stderr: String(decoding: errData, as: UTF8.self))
            }
        }
    }

    func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Output {
        try await start(arguments, environment: extra).wait()
    }

    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Running {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let root = home.url.path
        var environment = [
            "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_DATA_HOME": root + "/data",
            "XDG_STATE_HOME": root + "/state", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"
        ]
        environment.merge(extra) { $1 }
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, stdout: stdout, stderr: stderr)
    }
}
