import Collector

extension HistoryTable {
    /// `ticktop history --revisions`: for each bar a provider revised, the values now stored and
    /// every earlier version with when it was received and when it was replaced, oldest first.
    public func revisionLines(_ revisions: [BarRevision]) -> [String] {
        guard !revisions.isEmpty else {
            return ["no revised \(timeframe.rawValue) bars for \(symbol) in that range: every stored bar is as first received"]
        }
        struct Key: Hashable {
            var start: Timestamp
            var source: SourceID
        }
        let current = Dictionary(
            bars.map { (Key(start: $0.start, source: $0.source), $0) }, uniquingKeysWith: { first, _ in first })
        var table = TextTable(columns: [
            .init("START"), .init("SRC"), .init("VERSION"), .init("OPEN", .right), .init("HIGH", .right), .init("LOW", .right),
            .init("CLOSE", .right), .init("VOLUME", .right), .init("RECEIVED"), .init("REPLACED")
        ])
        let price = { DisplayFormat.price($0, assetClass: symbol.assetClass) }
        func row(_ bar: Bar, version: String, received: Timestamp?, replaced: Timestamp?) -> [String] {
            [
                startText(bar.start), bar.source.label, version, price(bar.open), price(bar.high), price(bar.low),
                price(bar.close),
                DisplayFormat.volume(bar.volume), received.map(\.rfc3339Seconds) ?? "before revisions were kept",
                replaced.map(\.rfc3339Seconds) ?? ""
            ]
        }
        var grouped: [Key: [BarRevision]] = [:]
        for revision in revisions {
            grouped[Key(start: revision.bar.start, source: revision.bar.source), default: []].append(revision)
        }
        for key in grouped.keys.sorted(by: { ($0.start, $0.source.rawValue) < ($1.start, $1.source.rawValue) }) {
            let earlier = grouped[key] ?? []
            for (index, revision) in earlier.enumerated() {
                table.append(
                    row(revision.bar, version: "\(index + 1)", received: revision.receivedAt, replaced: revision.replacedAt))
            }
            if let now = current[key] {
                table.append(row(now, version: "\(earlier.count + 1) stored", received: earlier.last?.replacedAt, replaced: nil))
            }
        }
        let sources = Set(revisions.map(\.bar.source)).map(\.label).sorted().joined(separator: ", ")
        return table.lines() + ["", "\(grouped.count) bars revised (\(revisions.count) earlier versions kept) by \(sources)"]
    }
}
