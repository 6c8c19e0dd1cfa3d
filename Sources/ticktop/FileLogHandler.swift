import Foundation
import Logging

/// Appends log lines to a file, so logs never reach the screen the TUI owns.
/// Writes go through one C stdio stream opened in append mode; stdio locks
/// each call internally, so handlers on several tasks never interleave lines.
struct FileLogHandler: LogHandler {
    /// An open log file shared by every handler the logging system makes.
    final class Sink: @unchecked Sendable {  // FILE* is internally locked by stdio.
        let path: String
        private let file: UnsafeMutablePointer<FILE>

        init(path: String) throws {
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard let file = fopen(path, "a") else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            self.path = path
            self.file = file
        }

        func write(_ line: String) {
            fputs(line, file)
            fflush(file)
        }

        deinit { fclose(file) }
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
        sink.write("\(time) \(event.level) \(label): \(event.message)\(details)\n")
    }
}
