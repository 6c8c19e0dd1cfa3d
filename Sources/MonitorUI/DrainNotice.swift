import Collector

/// What the board says on stderr once its screen is closed and the shutdown waits for provider
/// requests already sent (`ProviderRequests.draining`), so a process that has not ended yet is
/// not taken for a hung one.
public enum DrainNotice {
    /// `finishing 1 history request and 2 quote requests already sent (at most 5 s)...`; nil when
    /// none is on the wire (nothing to wait for: nothing is said).
    package static func line(for sent: ProviderRequests.Sent) -> String? {
        guard sent.total > 0 else { return nil }
        let kinds = [(sent.history, "history"), (sent.quotes, "quote")].filter { $0.0 > 0 }.map { count, kind in
            "\(count) \(kind) request\(count == 1 ? "" : "s")"
        }
        let deadline = ProviderRequests.drainDeadline.components.seconds
        return "finishing \(kinds.joined(separator: " and ")) already sent (at most \(deadline) s)..."
    }
}
