import Foundation

/// Rows the store could not take, kept as JSON Lines (one `StoreBatch` per line)
/// until a write works again. `StoreWriter` replays and removes it then, or at
/// the next start when a run ended with rows still waiting.
struct StoreSpillFile: Sendable {
    /// What was read back: the batches in order, and lines that could not be read
    /// (a line cut short by a crash mid-append).
    struct Contents {
        var batches: [StoreBatch] = []
        var unreadableLines = 0
        var rows: Int { batches.reduce(0) { $0 + $1.count } }
    }

    let path: String

    /// The spill file of the database at `databasePath`: beside it, `<name>.spill.jsonl`.
    init(forDatabaseAt databasePath: String) {
        path = databasePath + ".spill.jsonl"
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Appends the batches. On any failure (no room, no permission) the file is
    /// cut back to its previous length and the error is thrown.
    func append(_ batches: [StoreBatch]) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var data = Data()
        for batch in batches {
            data.append(try encoder.encode(batch))
            data.append(0x0A)
        }
        if !exists, !FileManager.default.createFile(atPath: path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? handle.truncate(atOffset: end)
            throw error
        }
    }

    /// Every batch in the file, oldest first.
    func read() throws -> Contents {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var contents = Contents()
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if let batch = try? decoder.decode(StoreBatch.self, from: Data(line)) {
                contents.batches.append(batch)
            } else {
                contents.unreadableLines += 1
            }
        }
        return contents
    }

    func remove() throws {
        guard exists else { return }
        try FileManager.default.removeItem(atPath: path)
    }
}
