import Collector

/// How the store's writes stand, in words: the board's store banner and the
/// `--once` verdict when rows could not be stored.
public enum StoreWriteText {
    /// While writes fail or rows wait: `disk full since 14:02 UTC, 1,234 rows waiting`
    /// (`, 12 dropped` when rows were lost; `, 9 ticks not on the tape` when the tape lost some);
    /// nil once writes work, nothing waits and the tape lost nothing.
    package static func banner(_ writes: StoreWriterStatistics) -> String? {
        let ticksLost = writes.tape?.ticksLost ?? 0
        guard writes.isFailing || writes.rowsWaiting > 0 || ticksLost > 0 else { return nil }
        var parts: [String] = []
        if writes.isFailing || writes.rowsWaiting > 0 {
            var text = writes.failureCause ?? "writes pending"
            if let since = writes.failingSince { text += " since \(since.clockText.prefix(5)) UTC" }
            text += ", \(rows(writes.rowsWaiting)) waiting"
            if writes.rowsDropped > 0 { text += ", \(DisplayFormat.count(writes.rowsDropped)) dropped" }
            parts.append(text)
        }
        if ticksLost > 0 { parts.append(tapeLoss(ticksLost)) }
        return parts.joined(separator: ", ")
    }

    /// `9 ticks not on the tape`.
    private static func tapeLoss(_ count: Int) -> String {
        "\(DisplayFormat.count(count)) tick\(count == 1 ? "" : "s") not on the tape"
    }

    /// After a run: `65,442 rows could not be stored (disk full): 65,442 kept in
    /// /x/ticktop.sqlite.spill.jsonl for the next start, 12 dropped (bars, quotes of AAPL, MSFT)`;
    /// nil when everything collected was stored.
    public static func unstored(_ writes: StoreWriterStatistics) -> String? {
        guard !writes.everythingStored else { return nil }
        let otherLosses = writes.rowsWaiting + writes.rowsDropped + writes.unreadableSpillLines + writes.rowsOfLostLeases
        if let tape = writes.tape, tape.ticksLost > 0, otherLosses == 0 {
            return tapeLoss(tape.ticksLost) + " (\(tape.lastError ?? "its queue was full"))"
        }
        let lost = writes.rowsDropped + writes.unreadableSpillLines + writes.rowsOfLostLeases
        let cause = writes.failureCause ?? writes.lastError ?? "see the log"
        var parts: [String] = []
        if writes.rowsWaiting > 0 {
            parts.append("\(DisplayFormat.count(writes.rowsWaiting)) kept in \(writes.spillPath ?? "memory") for the next start")
        }
        if writes.rowsDropped > 0 { parts.append("\(DisplayFormat.count(writes.rowsDropped)) dropped (\(droppedNames(writes)))") }
        if writes.rowsOfLostLeases > 0 {
            parts.append("\(DisplayFormat.count(writes.rowsOfLostLeases)) fenced (their leases went to other collectors)")
        }
        if writes.unreadableSpillLines > 0 {
            parts.append("\(DisplayFormat.count(writes.unreadableSpillLines)) unreadable spill lines dropped")
        }
        if let ticksLost = writes.tape?.ticksLost, ticksLost > 0 { parts.append(tapeLoss(ticksLost)) }
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
