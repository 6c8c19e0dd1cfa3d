import Foundation

/// One measured figure, printed as a human line and as a JSON line.
struct BenchmarkResult: Codable {
    var name: String
    var count: Int
    var seconds: Double
    var perSecond: Double
    var note: String

    init(name: String, count: Int, seconds: Double, note: String = "") {
        self.name = name
        self.count = count
        self.seconds = seconds
        self.perSecond = seconds > 0 ? Double(count) / seconds : 0
        self.note = note
    }

    var line: String {
        let rate = Int(perSecond.rounded()).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let time = seconds.formatted(.number.precision(.fractionLength(3)))
        return "\(name): \(count) in \(time) s = \(rate) /s\(note.isEmpty ? "" : " (\(note))")"
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
