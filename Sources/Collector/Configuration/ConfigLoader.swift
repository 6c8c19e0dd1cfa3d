import Foundation
import TOMLKit

/// Finds, reads and validates `config.toml`.
public enum ConfigLoader {
    /// Loads the configuration.
    ///
    /// With `explicitPath` (from `--config`) the file must exist. Without it the loader reads
    /// `$XDG_CONFIG_HOME/ticktop/config.toml` (else `~/.config/ticktop/config.toml`) and uses the
    /// defaults when that file does not exist. A leading `~` in `store.path`, `general.log_file`
    /// and replay paths is expanded with `$HOME`.
    public static func load(explicitPath: String?, environment: [String: String]) throws(ConfigError) -> LoadedConfiguration {
        let paths = XDGPaths(environment: environment)
        let path = explicitPath.map(paths.expandingTilde) ?? paths.configFile
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if explicitPath != nil { throw .fileNotFound(path) }
            return LoadedConfiguration(configuration: .defaults, path: nil)
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(kind: .unreadable, file: path, message: "is a directory, not a configuration file")
        }
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ConfigError(kind: .unreadable, file: path, message: "is not UTF-8 text")
            }
            text = decoded
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(kind: .unreadable, file: path, message: "cannot be read (\(error.localizedDescription))")
        }
        var configuration = try parse(text, file: path)
        configuration.store.path = configuration.store.path.map(paths.expandingTilde)
        configuration.general.logFile = configuration.general.logFile.map(paths.expandingTilde)
        for index in configuration.sources.indices {
            configuration.sources[index].replayPath = configuration.sources[index].replayPath.map(paths.expandingTilde)
        }
        return LoadedConfiguration(configuration: configuration, path: path)
    }

    /// Parses and validates `text`; `file` only names the source in errors. Paths are kept as written.
    package static func parse(_ text: String, file: String) throws(ConfigError) -> TicktopConfiguration {
        let root: TOMLNode
        do {
            root = try TOMLNode.parse(text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                kind: .syntax, file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "invalid TOML: \(error.description)")
        } catch let error as TOMLDocument.HeaderError {
            throw ConfigError(
                kind: .syntax, file: file, line: error.line, column: error.column,
                message: "invalid TOML: \(error.description)")
        } catch {
            throw ConfigError(kind: .syntax, file: file, message: "invalid TOML: \(error)")
        }
        guard case .table(let entries) = root else { return .defaults }
        let context = ConfigTable.Context(file: file, locator: TOMLKeyLocator(text: text))
        return try ConfigurationParser(context: context).configuration(from: entries)
    }
}
