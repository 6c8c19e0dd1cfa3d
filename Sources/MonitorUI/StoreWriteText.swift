import Collector

/// How the store's writes stand, in words: the board's store banner and the
/// `--once` verdict when rows could not be stored.
public enum StoreWriteText {
    /// While writes fail or rows wait: `disk full since 14:02 UTC, 1,234 rows waiting`
    /// (`, 12 dropped` when rows were lost); nil once writes work and nothing waits.
    package static func banner(_ writes: StoreWriterStatistics) -> String? {
        guard writes.isFailing || writes.rowsWaiting > 0 else { return nil }
        var text = writes.failureCause ?? "writes pending"
        if let since = writes.failingSince { text += " since \(since.clockText.prefix(5)) UTC" }
        text += ", \(rows(writes.rowsWaiting)) waiting"
        if writes.rowsDropped > 0 { text += ", \(DisplayFormat.count(writes.rowsDropped)) dropped" }
        return text
    }

    /// After a run: `65,442 rows could not be stored (disk full): 65,442 kept in
    /// /x/ticktop.sqlite.spill.jsonl for the next start, 12 dropped (bars, quotes of AAPL, MSFT)`;
    /// nil when everything collected was stored.
    public static func unstored(_ writes: StoreWriterStatistics) -> String? {
        guard !writes.everythingStored else { return nil }
        let lost = writes.rowsDropped + writes.unreadableSpillLines
        let cause = writes.failureCause ?? writes.lastError ?? "see the log"
        var parts: [String] = []
        if writes.rowsWaiting > 0 {
            parts.append("\(DisplayFormat.count(writes.rowsWaiting)) kept in \(writes.spillPath ?? "memory") for the next start")
        }
        if writes.rowsDropped > 0 { parts.append("\(DisplayFormat.count(writes.rowsDropped)) dropped (\(droppedNames(writes)))") }
        if writes.unreadableSpillLines > 0 {
            parts.append("\(DisplayFormat.count(writes.unreadableSpillLines)) unreadable spill lines dropped")
        }
        return "\(rows(writes.rowsWaiting + lost)) could not be stored (\(cause)): " + parts.joined(separator: ", ")
    }

    /// `bars, quotes of AAPL, MSFT`.
    static func droppedNames(_ writes: StoreWriterStatistics) -> String {
        let kinds = writes.droppedByKind.keys.sorted().joined(separator: ", ")
        let symbols = writes.droppedSymbols.sorted().map(\.rawValue)
        guard !symbols.isEmpty else { return kinds }
        let shown = symbols.prefix(10).joined(separator: ", ") + (symbols.count > 10 ? " and \(symbols.count - 10) more" : "")
        return "\(kinds) of \(shown)"
    }

    private static func rows(_ count: Int) -> String {
        "\(DisplayFormat.count(count)) row\(count == 1 ? "" : "s")"
    }
}
