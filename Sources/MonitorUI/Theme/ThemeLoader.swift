import Collector
import Foundation
import TOMLKit

/// Finds, reads and validates theme files.
public enum ThemeLoader {
    /// Parses and validates a theme's TOML `text`; `file` only names the source in errors.
    package static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let root: TOMLTable
        do {
            root = try TOMLDocument.table(text)
        } catch let error as TOMLParseError {
            throw ThemeError(
                file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "invalid TOML: \(error.description)")
        } catch let error as TOMLDocument.HeaderError {
            throw ThemeError(file: file, line: error.line, column: error.column, message: "invalid TOML: \(error.description)")
        } catch {
            throw ThemeError(file: file, message: "invalid TOML: \(error)")
        }
        let parser = ThemeParser(file: file, text: text)
        return try withExtendedLifetime(root) { () throws(ThemeError) -> Theme in try parser.theme(from: root) }
    }

    /// Loads the theme given with `--theme`.
    ///
    /// A value containing `/` or ending in `.toml` is a path. Otherwise it is a name, looked up
    /// as `NAME.toml` in each of `searchDirectories` in order; `default` with no such file is
    /// the compiled-in `Theme.builtInDefault`. An unknown name's error lists the available names.
    public static func load(_ nameOrPath: String, searchDirectories: [String]) throws(ThemeError) -> Theme {
        if isPath(nameOrPath) { return try loadFile(at: nameOrPath) }
        for directory in searchDirectories {
            let path = join(directory, nameOrPath + ".toml")
            if FileManager.default.fileExists(atPath: path) { return try loadFile(at: path) }
        }
        if nameOrPath == Theme.builtInDefault.name { return .builtInDefault }
        let available = availableThemes(in: searchDirectories).joined(separator: ", ")
        let searched = searchDirectories.isEmpty ? "" : "; looked in \(searchDirectories.joined(separator: ", "))"
        throw ThemeError(file: nameOrPath, message: "no theme with this name (available: \(available)\(searched))")
    }

    /// The theme names found in `directories` (files named `NAME.toml`) and `default`, sorted.
    public static func availableThemes(in directories: [String]) -> [String] {
        var names: Set<String> = [Theme.builtInDefault.name]
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".toml") && !file.hasPrefix(".") {
                names.insert(String(file.dropLast(".toml".count)))
            }
        }
        return names.sorted()
    }

    /// Where theme names are looked up, in order: `$XDG_CONFIG_HOME/ticktop/themes` (else
    /// `~/.config/ticktop/themes`), `<currentDirectory>/themes`, and the repository's `themes`
    /// folder when the executable was built inside a checkout (`swift run`): the first folder
    /// holding both `themes` and `Package.swift`, from the executable's directory up at most 5 levels.
    /// Pass an absolute `executablePath` (such as `Bundle.main.executablePath`); duplicates are dropped.
    public static func searchDirectories(environment: [String: String], executablePath: String, currentDirectory: String)
        -> [String]
    {
        var directories = [
            join(XDGPaths(environment: environment).configHome, "ticktop/themes"),
            join(currentDirectory, "themes")
        ]
        if let repository = repositoryThemes(executablePath: executablePath, currentDirectory: currentDirectory) {
            directories.append(repository)
        }
        var seen: Set<String> = []
        return directories.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The `themes` folder next to a `Package.swift` above the executable, if any.
    private static func repositoryThemes(executablePath: String, currentDirectory: String) -> String? {
        guard !executablePath.isEmpty else { return nil }
        let executable = executablePath.hasPrefix("/") ? executablePath : join(currentDirectory, executablePath)
        var directory = URL(fileURLWithPath: executable).standardizedFileURL.deletingLastPathComponent()
        let fileManager = FileManager.default
        for _ in 0...5 {
            let themes = directory.appendingPathComponent("themes").path
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: themes, isDirectory: &isDirectory), isDirectory.boolValue,
                fileManager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
            {
                return themes
            }
            guard directory.path != "/" else { return nil }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Reads and parses the theme file at `path`.
    private static func loadFile(at path: String) throws(ThemeError) -> Theme {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ThemeError(file: path, message: "theme file not found")
        }
        guard !isDirectory.boolValue else { throw ThemeError(file: path, message: "is a directory, not a theme file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ThemeError(file: path, message: "cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ThemeError(file: path, message: "is not UTF-8 text") }
        return try parse(text, file: path)
    }

    private static func isPath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".toml")
    }

    private static func join(_ directory: String, _ relative: String) -> String {
        directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }
}
