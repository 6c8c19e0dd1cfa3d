import Foundation

/// A small text-snapshot helper: compares rendered text with a `.txt` file in
/// a `__Snapshots__` folder beside the test file. `RECORD_SNAPSHOTS=1`
/// (re)writes the files instead. A missing snapshot is a failure unless recording.
package enum TextSnapshot {
    package enum Result: Equatable {
        case matched
        case recorded(path: String)
        case missing(path: String)
        case mismatch(path: String, diff: String)
    }

    package static func verify(_ text: String, named name: String, testFile: String = #filePath) -> Result {
        let directory = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
        let file = directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data(text.utf8).write(to: file)
            return .recorded(path: file.path)
        }
        guard let data = try? Data(contentsOf: file) else { return .missing(path: file.path) }
        let expected = String(decoding: data, as: UTF8.self)
        if expected == text { return .matched }
        return .mismatch(path: file.path, diff: lineDiff(expected: expected, actual: text))
    }

    /// The first differing lines, numbered, for a readable failure.
    static func lineDiff(expected: String, actual: String) -> String {
        let a = expected.components(separatedBy: "\n")
        let b = actual.components(separatedBy: "\n")
        var out: [String] = []
        for index in 0..<max(a.count, b.count) where out.count < 12 {
            let left = index < a.count ? a[index] : "<none>"
            let right = index < b.count ? b[index] : "<none>"
            if left != right {
                out.append("line \(index + 1):\n  expected: \(left)\n  actual:   \(right)")
            }
        }
        return out.joined(separator: "\n")
    }
}
