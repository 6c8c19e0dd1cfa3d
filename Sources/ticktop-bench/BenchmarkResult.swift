import Foundation

/// One measured figure: `count` items in `seconds`.
struct BenchmarkResult: Sendable, Hashable, Codable {
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

    /// One human line, e.g. `store-write  1000000 in 2.500 s = 400000/s  (note)`.
    var line: String {
        let label = name.padding(toLength: max(22, name.count), withPad: " ", startingAt: 0)
        let figures = label + String(format: " %10d in %8.3f s = %12.0f/s", count, seconds, perSecond)
        return note.isEmpty ? figures : "\(figures)  (\(note))"
    }

    /// One JSON object on one line, keys sorted.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
