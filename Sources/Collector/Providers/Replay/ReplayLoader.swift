import Foundation

/// Reads the configured replay path into a `ReplayTape`.
///
/// The path is a file or a directory (`~` is expanded; a relative path is relative to the working
/// directory). In a directory every `.csv`, `.txt`, `.jsonl`, `.ndjson` and `.json` file is read,
/// in name order; hidden files and subdirectories are ignored, other files are listed as problems.
/// A file named directly is read whatever its extension: JSON Lines when it ends in `.jsonl`,
/// `.ndjson` or `.json` or starts with `{`, else CSV.
///
/// A single file that is missing, unreadable, empty, in no known layout or without one usable row
/// throws. In a directory such a file is only listed as a problem; the directory throws when no
/// file gives a usable row.
enum ReplayLoader {
    static let csvExtensions: Set<String> = ["csv", "txt"]
    static let jsonExtensions: Set<String> = ["jsonl", "ndjson", "json"]

    static func load(path rawPath: String) throws(ReplayError) -> ReplayTape {
        guard !rawPath.trimmingBlanks().isEmpty else { throw .noPath }
        let path = NSString(string: rawPath).expandingTildeInPath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missing(path: path)
        }
        var builder = ReplayTapeBuilder()
        var files: [String] = []
        if isDirectory.boolValue {
            try loadDirectory(path, into: &builder, files: &files)
        } else {
            try loadFile(path, named: true, into: &builder)
            files = [URL(fileURLWithPath: path).lastPathComponent]
            if builder.rowCount == 0 {
                throw .noUsableRows(path: path, detail: detail(builder.problems, otherwise: "it holds only a header line"))
            }
        }
        return ReplayTape(builder.finish(), files: files)
    }

    private static func loadDirectory(_ path: String, into builder: inout ReplayTapeBuilder, files: inout [String])
        throws(ReplayError)
    {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        for name in names where !name.hasPrefix(".") {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let ext = URL(fileURLWithPath: name).pathExtension.lowercased()
            guard csvExtensions.contains(ext) || jsonExtensions.contains(ext) else {
                builder.problems.add(file: name, line: nil, "skipped: not a .csv, .txt, .jsonl, .ndjson or .json file")
                continue
            }
            let before = builder.rowCount
            do {
                try loadFile(file, named: false, into: &builder)
            } catch {
                builder.problems.add(file: name, line: nil, "skipped: \(error.reason)")
                continue
            }
            if builder.rowCount == before {
                builder.problems.add(file: name, line: nil, "skipped: it has no usable rows")
            } else {
                files.append(name)
            }
        }
        guard builder.rowCount > 0 else {
            throw .noUsableRows(
                path: path,
                detail: detail(builder.problems, otherwise: "the directory holds no .csv, .txt, .jsonl, .ndjson or .json file"))
        }
    }

    /// Parses one file into `builder`. `named` means the configuration names this very file.
    private static func loadFile(_ path: String, named: Bool, into builder: inout ReplayTapeBuilder)
        throws(ReplayError)
    {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let first = bytes[start...].first(where: { !(($0 >= 9 && $0 <= 13) || $0 == 32) }) else {
            throw .empty(path: path)
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let json = jsonExtensions.contains(ext) || (!csvExtensions.contains(ext) && first == UInt8(ascii: "{"))
        if json {
            ReplayJSONLinesParser(fileName: name).parse(bytes, into: &builder)
        } else {
            do {
                try ReplayCSVParser(fileName: name).parse(bytes, into: &builder)
            } catch {
                throw .unsupported(path: path, reason: error.message)
            }
        }
    }

    /// The first problems, for an error message.
    private static func detail(_ log: ReplayProblemLog, otherwise: String) -> String {
        guard log.count > 0 else { return otherwise }
        let shown = log.kept.prefix(3).map(\.description).joined(separator: "; ")
        return log.count > 3 ? "\(shown); and \(log.count - 3) more" : shown
    }
}

extension ReplayError {
    /// The error without the path (the problem list names the file).
    var reason: String {
        switch self {
        case .noPath, .badSpeed, .missing: description
        case .unreadable(_, let reason): "cannot read it: \(reason)"
        case .empty: "it is empty"
        case .noUsableRows(_, let detail): "no usable rows: \(detail)"
        case .unsupported(_, let reason): reason
        }
    }
}
