/// One row (or file) of a replay that could not be used, e.g.
/// `AAPL.csv line 17: close "abc" is not a number`.
package struct ReplayProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file's name (not its full path).
    package var file: String
    /// The 1-based line the bad row starts on; nil for a problem with the whole file.
    package var line: Int?
    /// What is wrong.
    package var message: String

    package init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    package var description: String {
        if let line { return "\(file) line \(line): \(message)" }
        return "\(file): \(message)"
    }

    /// A cell's text quoted for a message: at most 40 characters, control characters shown as `?`.
    static func quoted(_ text: String) -> String {
        var shown = String(text.unicodeScalars.prefix(40).map { $0.value < 32 || $0.value == 127 ? "?" : Character($0) })
        if text.unicodeScalars.count > 40 { shown += "…" }
        return "\"\(shown)\""
    }
}

/// Collects problems while files load: every one is counted, the first `keepLimit` are kept.
struct ReplayProblemLog: Sendable {
    static let keepLimit = 100
    private(set) var kept: [ReplayProblem] = []
    private(set) var count = 0

    mutating func add(_ problem: ReplayProblem) {
        count += 1
        if kept.count < Self.keepLimit { kept.append(problem) }
    }

    mutating func add(file: String, line: Int?, _ message: String) {
        add(ReplayProblem(file: file, line: line, message: message))
    }

    /// `skipped 3 bad rows: A; B; and 1 more`, or nil when nothing went wrong.
    static func summary(of problems: [ReplayProblem], total: Int, shown: Int = 3) -> String? {
        guard total > 0 else { return nil }
        let listed = problems.prefix(shown).map(\.description).joined(separator: "; ")
        let more = total - min(shown, problems.count)
        let noun = total == 1 ? "problem" : "problems"
        return "\(total) \(noun) in the replay files: \(listed)" + (more > 0 ? "; and \(more) more" : "")
    }
}

/// Why a replay source could not be built. Every case names the path.
package enum ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration names no file.
    case noPath
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case empty(path: String)
    /// The file (or every file of the directory) had no row ticktop could use.
    case noUsableRows(path: String, detail: String)
    /// The file is not in a layout ticktop replays.
    case unsupported(path: String, reason: String)
    case badSpeed(Double)

    package var description: String {
        switch self {
        case .noPath: "a replay source needs path = \"...\" naming the file or directory to replay"
        case .missing(let path): "replay file \(path) does not exist"
        case .unreadable(let path, let reason): "cannot read replay file \(path): \(reason)"
        case .empty(let path): "replay file \(path) is empty"
        case .noUsableRows(let path, let detail): "replay file \(path) has no usable rows: \(detail)"
        case .unsupported(let path, let reason): "replay file \(path) cannot be replayed: \(reason)"
        case .badSpeed(let speed): "replay speed must be above 0 (1 = recorded pace), got \(speed)"
        }
    }
}
