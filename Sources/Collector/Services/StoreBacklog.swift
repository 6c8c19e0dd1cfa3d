import Foundation

/// Rows waiting for the store while writes fail, oldest first: in memory up to
/// `memoryLimit` rows, then (when memory is full) moved to the spill file up to
/// `spillLimit` rows. What fits in neither is handed back to be dropped.
struct StoreBacklog {
    let memoryLimit: Int
    let spillLimit: Int
    let spill: StoreSpillFile?
    private(set) var memory: [StoreBatch] = []
    private(set) var memoryRows = 0
    /// Rows in the spill file (older than those in memory).
    private(set) var spilledRows = 0
    /// Why the last move to the spill file failed, if it did.
    private(set) var spillError: String?

    var rows: Int { memoryRows + spilledRows }
    var isEmpty: Bool { rows == 0 }

    /// Counts the rows of a spill file left by an earlier run; they are the oldest waiting.
    mutating func adoptLeftover() throws -> StoreSpillFile.Contents? {
        guard let spill, spill.exists else { return nil }
        let contents = try spill.read()
        spilledRows = contents.rows
        return contents
    }

    /// Keeps `batch` after everything already waiting; returns it when there is no room.
    mutating func keep(_ batch: StoreBatch) -> StoreBatch? {
        if memoryRows + batch.count <= memoryLimit {
            memory.append(batch)
            memoryRows += batch.count
            return nil
        }
        return moveToSpill(memory + [batch]) ? nil : batch
    }

    /// Everything waiting as one batch, the spill file's rows first; with what the
    /// spill file held that could not be read back.
    func all() throws -> (batch: StoreBatch, unreadableLines: Int) {
        var batch = StoreBatch()
        var unreadable = 0
        if spilledRows > 0, let spill {
            let contents = try spill.read()
            for spilled in contents.batches { batch.append(contentsOf: spilled) }
            unreadable = contents.unreadableLines
        }
        for kept in memory { batch.append(contentsOf: kept) }
        return (batch, unreadable)
    }

    /// Everything was written (or given up): forget it and remove the spill file.
    mutating func clear() {
        try? spill?.remove()
        memory = []
        memoryRows = 0
        spilledRows = 0
    }

    /// At the end of a run: moves what is in memory to the spill file, so the next
    /// start writes it; returns it when that is not possible.
    mutating func spillMemory() -> StoreBatch? {
        guard memoryRows > 0 else { return nil }
        if moveToSpill(memory) { return nil }
        var lost = StoreBatch()
        for kept in memory { lost.append(contentsOf: kept) }
        memory = []
        memoryRows = 0
        return lost
    }

    /// Appends `batches` (which include all of memory) to the spill file; true when they are there.
    private mutating func moveToSpill(_ batches: [StoreBatch]) -> Bool {
        guard let spill else { return false }
        let rows = batches.reduce(0) { $0 + $1.count }
        guard spilledRows + rows <= spillLimit else { return false }
        do {
            try spill.append(batches)
        } catch {
            spillError = "cannot write the spill file \(spill.path): \(error.localizedDescription)"
            return false
        }
        spilledRows += rows
        memory = []
        memoryRows = 0
        spillError = nil
        return true
    }
}
