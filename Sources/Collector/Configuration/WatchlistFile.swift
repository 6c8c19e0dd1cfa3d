import Foundation
import TOMLKit

/// The watchlists as edited in the TUI, kept in `$XDG_STATE_HOME/ticktop/watchlists.toml`
/// so edits survive restarts. When the file exists it replaces the configuration's
/// `[watchlists]`; deleting it goes back to them. Writes are atomic (a temporary
/// file renamed over the old one), so a crash never leaves half a file.
///
/// ```toml
/// active = "default"
/// [[watchlist]]
/// name = "default"
/// symbols = ["AAPL", "MSFT"]
/// ```
public enum WatchlistFile {
    public struct Contents: Sendable, Equatable {
        public var watchlists: [Watchlist]
        public var active: String
        public init(watchlists: [Watchlist], active: String) {
            self.watchlists = watchlists
            self.active = active
        }
    }

    public static func path(in paths: XDGPaths) -> String {
        (paths.stateDirectory as NSString).appendingPathComponent("watchlists.toml")
    }

    /// The saved watchlists, or nil when there is no file. A damaged file is an
    /// error naming the file, so the caller can say so and fall back.
    public static func load(from path: String) throws(ConfigError) -> Contents? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let table: TOMLTable
        do {
            table = try TOMLDocument.table(text)
        } catch let error as TOMLParseError {
            throw ConfigError(kind: .syntax, file: path, line: error.source.begin.line, key: nil, message: error.description)
        } catch let error as TOMLDocument.HeaderError {
            throw ConfigError(kind: .syntax, file: path, line: error.line, key: nil, message: error.description)
        } catch {
            throw ConfigError(kind: .syntax, file: path, key: nil, message: "\(error)")
        }
        let locator = TOMLKeyLocator(text: text)
        guard let entries = table["watchlist"]?.array, !entries.isEmpty else {
            throw ConfigError(kind: .invalid, file: path, line: nil, key: "watchlist", message: "no [[watchlist]] entries")
        }
        var watchlists: [Watchlist] = []
        for (index, entry) in entries.enumerated() {
            let line = locator.line(of: ["watchlist"])
            guard let item = entry.table, let name = item["name"]?.string, !name.isEmpty,
                let spellings = item["symbols"]?.array
            else {
                throw ConfigError(
                    kind: .invalid, file: path, line: line, key: "watchlist[\(index)]",
                    message: "each [[watchlist]] needs a name and a symbols array")
            }
            var symbols: [Symbol] = []
            for spelling in spellings {
                guard let text = spelling.string else {
                    throw ConfigError(
                        kind: .invalid, file: path, line: line, key: "watchlist[\(index)].symbols",
                        message: "symbols must be strings")
                }
                do {
                    let symbol = try Symbol(text)
                    if !symbols.contains(symbol) { symbols.append(symbol) }
                } catch {
                    throw ConfigError(
                        kind: .invalid, file: path, line: line, key: "watchlist[\(index)].symbols", message: error.description)
                }
            }
            watchlists.append(Watchlist(name: name, symbols: symbols))
        }
        let active = table["active"]?.string ?? watchlists[0].name
        return Contents(watchlists: watchlists, active: active)
    }

    /// Writes atomically, creating the directory when needed.
    public static func save(_ contents: Contents, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var text = "# Written by ticktop when watchlists are edited on screen. Delete this file to use\n"
        text += "# the [watchlists] of config.toml again.\n"
        text += "active = \(TicktopConfiguration.quoted(contents.active))\n"
        for list in contents.watchlists {
            text += "\n[[watchlist]]\nname = \(TicktopConfiguration.quoted(list.name))\n"
            text += "symbols = [\(list.symbols.map { TicktopConfiguration.quoted($0.rawValue) }.joined(separator: ", "))]\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
