/// A configuration problem, located as precisely as possible: file, line, column, key.
///
/// Messages never contain the value of a credential-like setting.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file given with `--config` does not exist.
        case fileNotFound
        /// The file exists but cannot be read as UTF-8 text.
        case unreadable
        /// The file is not valid TOML.
        case syntax
        /// Valid TOML, but a value, key or table is wrong.
        case invalid
    }

    public var kind: Kind
    package var file: String
    /// 1-based line, when known.
    package var line: Int?
    /// 1-based column, when known (syntax errors).
    package var column: Int?
    /// Dotted key path such as `store.batch_size` or `sources.alpaca`.
    package var key: String?
    package var message: String

    package init(kind: Kind = .invalid, file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// The `--config` file does not exist.
    package static func fileNotFound(_ path: String) -> ConfigError {
        ConfigError(
            kind: .fileNotFound, file: path, message: "configuration file not found (the path given with --config must exist)")
    }

    /// `file:line:column: key: message`, leaving out what is unknown.
    public var description: String {
        Self.located(message, file: file, line: line, column: column, key: key)
    }

    /// The one format for problems in a file (configuration, themes, saved watchlists).
    public static func located(_ message: String, file: String, line: Int?, column: Int?, key: String?) -> String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return key.map { "\(location): \($0): \(message)" } ?? "\(location): \(message)"
    }
}
