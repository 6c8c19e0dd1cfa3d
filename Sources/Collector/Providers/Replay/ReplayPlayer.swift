import Synchronization

/// Plays the tape as a live stream: batches of the values with the same replay time, in
/// timeline order, each batch after the recorded gap divided by the speed.
///
/// Pacing: the wait before a batch is `min(recorded gap, maximumGap) / speed` on the injected
/// clock, so a night or a weekend in the file is one capped step, not a stall. The first batch
/// of a stream plays at once. When looping, one second of recorded time (divided by the speed,
/// at least 1 ms) separates the end of the file from its start.
///
/// Re-timing (so the replay looks live; see `ReplayRetimer`): a quote or trade gets
/// `exchangeTime = now - recorded delay`, a bar `start = now - its length`, and every value
/// `receivedAt = now` at delivery. A symbol the files hold only bars for also gets a last-trade
/// quote at each bar's close, so the board shows its price instead of "no data".
struct ReplayPlayer: Sendable {
    let tape: ReplayTape
    let source: SourceID
    let clock: any Clock<Duration>
    let timeSource: any TimeSource
    let speed: Double
    let loop: Bool
    let maximumGap: Duration
    let position: ReplayPosition

    /// The recorded pause between the end of the file and its start when looping.
    static let loopPause: Int64 = 1_000_000_000
    /// The playback speeds a configuration may ask for (1 = recorded pace). At 0.001 a one-minute
    /// gap already lasts 17 hours; far slower ones (1e-12) overflowed the wait's nanoseconds.
    static let speeds: ClosedRange<Double> = 0.001...10_000

    /// Plays `symbols` (every symbol of the files when empty) into `continuation` until the end
    /// of the files (or forever when looping), or until cancelled.
    func run(_ symbols: [Symbol], into continuation: AsyncThrowingStream<[MarketEvent], any Error>.Continuation) async {
        var wanted = [Bool](repeating: symbols.isEmpty, count: tape.symbols.count)
        for symbol in symbols { if let index = tape.symbolIndex[symbol] { wanted[index] = true } }
        guard wanted.contains(true) else {
            let held = tape.symbols.prefix(20).map(\.rawValue).joined(separator: ", ")
            let asked = symbols.map(\.rawValue).joined(separator: ", ")
            continuation.finish(
                throwing: ProviderError.unavailable(
                    source: source, reason: "the replay files hold no values for \(asked) (they hold \(held))"))
            return
        }
        let rows = tape.rows
        var quoted = [Bool](repeating: false, count: tape.symbols.count)
        for row in rows where row.kind != .bar { quoted[Int(row.symbol)] = true }
        var index = position.next < rows.count ? position.next : 0
        var previousTime: Int64?
        var retimer = ReplayRetimer()
        do {
            while true {
                guard let first = rows[index...].firstIndex(where: { wanted[Int($0.symbol)] }) else {
                    position.next = rows.count
                    guard loop else { break }
                    try await pause(recordedGap: Self.loopPause, atLeast: .milliseconds(1))
                    index = 0
                    previousTime = nil
                    retimer.startPass()
                    continue
                }
                let time = rows[first].replayTime
                var end = first
                while end < rows.count, rows[end].replayTime == time { end += 1 }
                if let previousTime {
                    // Rows centuries apart overflow the difference: the gap is capped at maximumGap anyway.
                    let (gap, overflow) = time.subtractingReportingOverflow(previousTime)
                    try await pause(recordedGap: overflow ? .max : gap)
                }
                try Task.checkCancellation()
                let now = timeSource.now()
                var batch: [MarketEvent] = []
                for row in rows[first..<end] where wanted[Int(row.symbol)] {
                    let event = row.event(source: source, time: retimer.time(of: row, now: now), receivedAt: now, tape: tape)
                    batch.append(event)
                    if !quoted[Int(row.symbol)], case .bar(let bar) = event {
                        let end = bar.start + bar.timeframe.nominalDuration
                        batch.append(
                            .quote(
                                Quote(lastTrade: bar.symbol, source: source, price: bar.close, exchangeTime: end, receivedAt: now)
                            ))
                    }
                }
                position.next = end
                if case .terminated = continuation.yield(batch) { return }
                previousTime = time
                index = end
            }
        } catch {
            // Cancelled: the subscriber went away.
        }
        continuation.finish()
    }

    /// Sleeps the wait for `recordedGap` (at least `atLeast`); with nothing to wait, lets other tasks run.
    private func pause(recordedGap: Int64, atLeast minimum: Duration = .zero) async throws {
        let wait = max(Self.wait(forRecordedGap: recordedGap, speed: speed, maximumGap: maximumGap), minimum)
        if wait > .zero {
            try await clock.sleep(for: wait, purpose: "replay gap")
        } else {
            await Task.yield()
        }
    }

    /// `min(gap, maximumGap) / speed`, rounded to the nanosecond; saturates at about 292 years
    /// (only a speed far below `speeds` comes near).
    static func wait(forRecordedGap gap: Int64, speed: Double, maximumGap: Duration) -> Duration {
        let capped = min(max(gap, 0), maximumGap.nanosecondsValue)
        let nanoseconds = (Double(capped) / speed).rounded()
        guard nanoseconds.isFinite, nanoseconds < 9.2e18 else { return .nanoseconds(Int64.max) }
        return .nanoseconds(Int64(max(nanoseconds, 0)))
    }
}

/// Where the replay is: the index of the next row to play. Shared by the source's streams, so a
/// resubscription (the watchlist changed) continues where the last stream stopped, and read by
/// `latestQuotes`.
final class ReplayPosition: Sendable {
    private let state = Mutex(0)

    var next: Int {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// Re-times replayed values so they look live, and keeps each stream's times moving forward.
///
/// A value's time is `now - lead - delay`: `lead` is a bar's length (a bar plays when it ends, so
/// its start lies one bar length back) and 0 for quotes and trades; `delay` is the recorded gap
/// between exchange time and receipt when the file has it (clamped to 0…15 minutes), else 0.
/// Within one stream (symbol, kind, timeframe) a value recorded later than the previous one is
/// kept at least 1 ns after it, so varying delays never make time go backwards; a value recorded
/// at the same time as the previous one gets the same time (the repeat is in the file).
struct ReplayRetimer {
    private struct Key: Hashable {
        var symbol: UInt32
        var kind: UInt8
        var timeframe: Timeframe?
    }

    static let maximumDelay: Int64 = 15 * 60 * 1_000_000_000
    private var last: [Key: (recorded: Int64, shifted: Int64, pass: Int)] = [:]
    private var pass = 0

    /// A new pass over the file (looping): recorded times start over.
    mutating func startPass() { pass += 1 }

    mutating func time(of row: ReplayRow, now: Timestamp) -> Timestamp {
        let key = Key(symbol: row.symbol, kind: row.kind.rawValue, timeframe: row.timeframe)
        let delay = min(max(row.delay, 0), Self.maximumDelay)
        var shifted = now.nanoseconds &- (row.replayTime &- row.time) &- delay
        if let previous = last[key] {
            if previous.pass == pass, previous.recorded == row.time {
                shifted = previous.shifted
            } else if shifted <= previous.shifted {
                shifted = previous.shifted + 1
            }
        }
        last[key] = (row.time, shifted, pass)
        return Timestamp(nanoseconds: shifted)
    }
}
