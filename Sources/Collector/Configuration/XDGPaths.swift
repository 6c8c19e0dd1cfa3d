import Foundation

/// ticktop's file locations under the XDG base directories, from an environment dictionary.
///
/// Relative `XDG_*` values are ignored, as the XDG specification requires.
public struct XDGPaths: Sendable, Equatable {
    /// `$HOME`, or the account's home directory when `HOME` is unset.
    package var home: String
    /// `$XDG_CONFIG_HOME`, else `~/.config`.
    public var configHome: String
    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    package var dataHome: String
    /// `$XDG_STATE_HOME`, else `~/.local/state`.
    package var stateHome: String

    public init(environment: [String: String]) {
        let home =
            environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        self.home = home
        func base(_ name: String, _ fallback: String) -> String {
            guard let value = environment[name], value.hasPrefix("/") else { return Self.join(home, fallback) }
            return value
        }
        configHome = base("XDG_CONFIG_HOME", ".config")
        dataHome = base("XDG_DATA_HOME", ".local/share")
        stateHome = base("XDG_STATE_HOME", ".local/state")
    }

    /// `<config home>/ticktop/config.toml`.
    package var configFile: String { Self.join(configHome, "ticktop/config.toml") }
    /// `<data home>/ticktop`.
    package var dataDirectory: String { Self.join(dataHome, "ticktop") }
    /// `<data home>/ticktop/ticktop.sqlite`.
    package var defaultDatabasePath: String { Self.join(dataDirectory, "ticktop.sqlite") }
    /// `<state home>/ticktop`.
    package var stateDirectory: String { Self.join(stateHome, "ticktop") }
    /// `<state home>/ticktop/ticktop.log`.
    package var defaultLogPath: String { Self.join(stateDirectory, "ticktop.log") }

    /// The database file for `store`: its `path` with `~` expanded, else the default.
    public func databasePath(for store: StoreConfiguration) -> String {
        store.path.map(expandingTilde) ?? defaultDatabasePath
    }

    /// The log file for `general`: its `logFile` with `~` expanded, else the default.
    public func logPath(for general: GeneralConfiguration) -> String {
        general.logFile.map(expandingTilde) ?? defaultLogPath
    }

    /// Replaces a leading `~` or `~/` with the home directory; `~user` is left alone.
    public func expandingTilde(_ path: String) -> String {
        if path == "~" { return home }
        guard path.hasPrefix("~/") else { return path }
        return Self.join(home, String(path.dropFirst(2)))
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
