import DequeModule

/// One source's recent deliveries, failures and latencies, for the rates its health row shows:
/// the single place where latencies are averaged (nearest-rank percentiles over a minute).
struct HealthWindows: Sendable {
    /// How long a value counts.
    static let span = Duration.seconds(60)
    /// The span messages per second are measured over.
    static let rateSpan = Duration.seconds(10)

    private var deliveries = Deque<(at: Timestamp, count: Int)>()
    private var failures = Deque<Timestamp>()
    private var latencies = Deque<(at: Timestamp, milliseconds: Double)>()

    mutating func delivered(_ count: Int, latency: Double?, at time: Timestamp) {
        deliveries.append((time, count))
        while let first = deliveries.first, time - first.at > Self.span { deliveries.removeFirst() }
        guard let latency else { return }
        latencies.append((time, latency))
        while let first = latencies.first, time - first.at > Self.span { latencies.removeFirst() }
    }

    mutating func failed(at time: Timestamp) {
        failures.append(time)
        while let first = failures.first, time - first > Self.span { failures.removeFirst() }
    }

    /// `entry` with the windowed figures as of `now`: errors in the last minute, messages per
    /// second over the last 10 s, and the latency median and 95th percentile over the last minute.
    func rates(of entry: SourceHealth, at now: Timestamp) -> SourceHealth {
        var entry = entry
        entry.errorsLastMinute = failures.filter { now - $0 <= Self.span }.count
        let recent = deliveries.filter { now - $0.at <= Self.rateSpan }.reduce(0) { $0 + $1.count }
        entry.messagesPerSecond = Double(recent) / Self.rateSpan.secondsValue
        let window = latencies.filter { now - $0.at <= Self.span }.map(\.milliseconds).sorted()
        entry.latencyP50Milliseconds = Self.percentile(window, 0.5)
        entry.latencyP95Milliseconds = Self.percentile(window, 0.95)
        return entry
    }

    /// Nearest-rank percentile of sorted values; nil when there are none.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
