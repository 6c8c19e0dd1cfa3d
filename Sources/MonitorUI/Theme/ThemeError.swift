import Collector

/// A theme that cannot be used, located as precisely as possible: file, line, column, key.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The theme file's path (or the name given, when no file was found).
    package var file: String
    /// 1-based line, when known.
    package var line: Int?
    /// 1-based column, when known (syntax errors).
    package var column: Int?
    /// Dotted key path such as `roles.up.fg`.
    package var key: String?
    package var message: String

    package init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `file:line:column: key: message`, leaving out what is unknown.
    public var description: String {
        ConfigError.located(message, file: file, line: line, column: column, key: key)
    }
}
