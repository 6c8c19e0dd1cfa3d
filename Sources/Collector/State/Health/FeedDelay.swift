/// How long after their exchange time a batch of stream quotes arrived, on average (a stream's
/// latency). Never negative: an average below zero is clock skew (the provider's clock runs
/// ahead of ours), so the delay is shown as 0 and `skewNote` says so in the source's detail.
package struct FeedDelay: Sendable, Hashable {
    /// The average delay in milliseconds, clamped at 0; nil when the batch has no quote.
    package var milliseconds: Double?
    /// How far the provider's times ran ahead of ours, when they did.
    package var skewMilliseconds: Double?

    package init(_ events: [MarketEvent]) {
        var sum: Int64 = 0
        var count = 0
        for case .quote(let quote) in events {
            sum += quote.receivedAt.nanoseconds - quote.exchangeTime.nanoseconds
            count += 1
        }
        guard count > 0 else { return }
        let average = Double(sum) / Double(count) / 1e6
        milliseconds = max(0, average)
        skewMilliseconds = average < 0 ? -average : nil
    }

    /// `clock skew: quotes stamped 1.25 s ahead of our clock; feed delay shown as 0`, or nil.
    package var skewNote: String? {
        skewMilliseconds.map { "clock skew: quotes stamped \(Self.seconds($0)) ahead of our clock; feed delay shown as 0" }
    }

    private static func seconds(_ milliseconds: Double) -> String {
        milliseconds < 1000 ? "\(Int(milliseconds.rounded())) ms" : "\((milliseconds / 10).rounded() / 100) s"
    }
}
