/// `MarketSession.current(for:at:)` memoised per asset class and minute.
/// The session goes through a time-zone calendar, far too slow to call for
/// every value; sessions only change on whole minutes. Direct-mapped with a
/// fixed number of slots, so it never grows.
struct SessionCache: Sendable {
    private static let slots = 1024
    private static let nanosecondsPerMinute: Int64 = 60_000_000_000
    private var keys = [Int64](repeating: .min, count: slots)
    private var values = [MarketSession](repeating: .closed, count: slots)

    mutating func session(for assetClass: AssetClass, at time: Timestamp) -> MarketSession {
        let n = time.nanoseconds
        let minute = n >= 0 ? n / Self.nanosecondsPerMinute : (n - Self.nanosecondsPerMinute + 1) / Self.nanosecondsPerMinute
        let classIndex: Int64 =
            switch assetClass {
            case .equity: 0
            case .index: 1
            case .fx: 2
            case .crypto: 3
            }
        let key = minute &* 4 &+ classIndex
        let slot = Int(UInt64(bitPattern: key) % UInt64(Self.slots))
        if keys[slot] == key { return values[slot] }
        let session = MarketSession.current(for: assetClass, at: Timestamp(nanoseconds: minute &* Self.nanosecondsPerMinute))
        keys[slot] = key
        values[slot] = session
        return session
    }
}
