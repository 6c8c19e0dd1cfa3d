import ArgumentParser
import Collector
import Foundation
import MonitorUI

/// `--config` and `--db`, the same for every command that reads the configuration and the store.
struct FileOptions: ParsableArguments {
    @Option(help: "Configuration file. Default: $XDG_CONFIG_HOME/ticktop/config.toml, if it exists.")
    var config: String?

    @Option(help: "SQLite database file. Default: $XDG_DATA_HOME/ticktop/ticktop.sqlite.")
    var db: String?

    /// An empty `--db`, a directory, a device or a path under a file is refused by every command.
    func validate() throws {
        try checkDatabase(writable: false)
    }

    /// The database this run writes (`--db`, else the configuration's or the default), checked
    /// before it is opened: exit 1 naming the cause (e.g. the data directory is a file).
    func checkDatabase(for store: StoreConfiguration, environment: [String: String]) throws {
        guard store.kind == .sqlite else { return }
        let paths = XDGPaths(environment: environment)
        let path = db.map(paths.expandingTilde) ?? paths.databasePath(for: store)
        if let problem = PathProblem.find(path, role: db == nil ? "the database" : "--db", writable: true) {
            LaunchSetup.fail(problem)
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }

    /// For commands that write the store: also a read-only file or directory.
    func checkDatabase(writable: Bool) throws {
        guard let db else { return }
        let path = XDGPaths(environment: ProcessInfo.processInfo.environment).expandingTilde(db)
        if let problem = PathProblem.find(path, role: "--db", writable: writable) { throw ValidationError(problem) }
    }
}
