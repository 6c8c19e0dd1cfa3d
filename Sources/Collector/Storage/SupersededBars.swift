/// The bars of one write that a later bar of the same write replaces (same symbol, timeframe,
/// source and start), each with the index of its key's last version.
///
/// Stores use it so a write counts a bar by its last version: when the stored bar already has
/// those values, the earlier versions are not revisions. A spill file replayed again after a
/// crash (it holds every version the run received) then records nothing twice.
struct SupersededBars {
    /// A bar's key in the store: one row per symbol, timeframe, source and start.
    struct Key: Hashable {
        var symbol: Symbol
        var timeframe: Timeframe
        var source: SourceID
        var start: Timestamp

        init(_ bar: Bar) {
            (symbol, timeframe, source, start) = (bar.symbol, bar.timeframe, bar.source, bar.start)
        }

        init(symbol: Symbol, timeframe: Timeframe, source: SourceID, start: Timestamp) {
            (self.symbol, self.timeframe, self.source, self.start) = (symbol, timeframe, source, start)
        }
    }

    /// Index of a superseded bar to the index of its key's last version.
    private var lastVersion: [Int: Int] = [:]

    init(_ bars: [Bar]) {
        guard bars.count > 1 else { return }
        var last: [Key: Int] = [:]
        last.reserveCapacity(bars.count)
        for (index, bar) in bars.enumerated() {
            if let earlier = last.updateValue(index, forKey: Key(bar)) { lastVersion[earlier] = index }
        }
        // Chains (three versions or more) point every earlier version at the last one.
        for (index, next) in lastVersion {
            var final = next
            while let later = lastVersion[final] { final = later }
            lastVersion[index] = final
        }
    }

    /// The index of the last version of the bar at `index`, or nil when it is the last.
    func lastVersion(of index: Int) -> Int? { lastVersion[index] }

    /// Whether no bar of the write is replaced by a later one (nearly every write).
    var isEmpty: Bool { lastVersion.isEmpty }

    /// The indices of the last versions that replace earlier bars of the write.
    var replacingVersions: Set<Int> { Set(lastVersion.values) }
}
