import Foundation
import Logging

/// Appends log lines to a file, so logs never reach the screen the TUI owns (or, for
/// `ticktop collect`, to stderr). One line per event: control characters in a message or its
/// metadata (a provider's error text, say) are written escaped, so no line holds an escape code
/// or a line break. Writes go through one C stdio stream opened in append mode; stdio locks
/// each call internally, so handlers on several tasks never interleave lines.
struct FileLogHandler: LogHandler {
    /// An open log file shared by every handler the logging system makes.
    final class Sink: @unchecked Sendable {  // FILE* is internally locked by stdio.
        let path: String
        private let file: UnsafeMutablePointer<FILE>
        /// False for stderr, which stays open.
        private let owned: Bool

        /// Standard error (file descriptor 2).
        static let standardError = Sink(standardError: ())

        private init(standardError: Void) {
            path = "/dev/stderr"
            file = fdopen(2, "a") ?? fopen("/dev/null", "a")  // stderr closed: nowhere to write
            owned = false
        }

        init(path: String) throws {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard let file = fopen(path, "a") else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            self.path = path
            self.file = file
            owned = true
        }

        func write(_ line: String) {
            fputs(line, file)
            fflush(file)
        }

        deinit { if owned { fclose(file) } }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details =
            merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        sink.write("\(time) \(event.level) \(label): \(Self.oneLine("\(event.message)\(details)"))\n")
    }

    /// `text` with every control character (C0, DEL, C1: ESC, CR, LF, ...) written as `\u{1B}`.
    static func oneLine(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
