import Collector
import CollectorTestSupport

/// Seeded Alpaca stock-stream frames (provider-formats.md §1.6) over `symbolCount` symbols, made
/// as they are sent: quotes and trades (3 to 1) at random symbols, each symbol's price walking a
/// cent at a time, stamped with the wall-clock time they are made (RFC 3339, nanoseconds), and
/// at every new minute one minute bar per symbol that traded (open, high, low, close, volume and
/// trade count from the trades sent), interleaved with the quotes as Alpaca does. Bytes are
/// written by hand: the generator runs beside the collector it feeds and must cost little.
struct AlpacaFeed {
    let symbols: [[UInt8]]
    private var cents: [Int]
    private var random: SplitMix64
    private var tradeID = 52_983_525_029_461
    /// The minute the bar accumulators cover (nanoseconds since 1970 / 60 s).
    private var minute: Int64 = -1
    private var bars: [MinuteBar]
    /// Bar messages waiting to go out, each without its brackets.
    private var pendingBars: [[UInt8]] = []
    private var stampSecond: Int64 = -1
    private var stampPrefix: [UInt8] = []
    private var bytes: [UInt8] = []
    /// The last message's time: each message is stamped a nanosecond after it at least, so no
    /// two messages of a symbol carry the same time (the validator quarantines a repeated one).
    private var lastStamp: Int64 = 0

    /// The bar a symbol's trades make within one minute, in cents.
    struct MinuteBar {
        var open = 0, high = 0, low = 0, close = 0, volume = 0, trades = 0
    }

    init(symbolCount: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        symbols = (0..<symbolCount).map { Array(Self.name($0).utf8) }
        cents = symbols.indices.map { _ in 1_000 + random.below(49_000) }
        bars = Array(repeating: MinuteBar(), count: symbolCount)
        self.random = random
        bytes.reserveCapacity(1 << 16)
    }

    /// `AAA`, `AAB`, ...: three or more capital letters (Alpaca's stock symbols).
    static func name(_ index: Int) -> String {
        var letters: [Character] = []
        var n = index
        for _ in 0..<3 {
            letters.append(Character(Unicode.Scalar(UInt8(65 + n % 26))))
            n /= 26
        }
        return String(letters.reversed()) + (n > 0 ? String(repeating: "Z", count: n) : "")
    }

    /// The symbols as the collector watches them.
    var watchlist: [Symbol] { symbols.map { try! Symbol(String(decoding: $0, as: UTF8.self)) } }

    /// One frame of `count` messages (a JSON array), stamped `now`; bars due go first.
    mutating func frame(messages count: Int, at now: Timestamp) -> String {
        rollMinute(at: now)
        bytes.removeAll(keepingCapacity: true)
        bytes.append(UInt8(ascii: "["))
        for index in 0..<count {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if !pendingBars.isEmpty {
                bytes += pendingBars.removeLast()
                continue
            }
            let s = random.below(symbols.count)
            cents[s] = max(100, cents[s] + random.below(3) - 1)
            if random.below(4) == 3 {
                trade(s, at: now)
            } else {
                quote(s, at: now)
            }
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func quote(_ s: Int, at now: Timestamp) {
        append(#"{"T":"q","S":""#)
        bytes += symbols[s]
        append(#"","bx":"V","bp":"#)
        appendPrice(cents[s] - 1)
        append(#","bs":"#)
        appendInt(random.below(7) + 1)
        append(#","ax":"Q","ap":"#)
        appendPrice(cents[s] + 1)
        append(#","as":"#)
        appendInt(random.below(5) + 1)
        append(#","c":["R"],"z":"C","t":""#)
        appendStamp(now)
        append(#""}"#)
    }

    private mutating func trade(_ s: Int, at now: Timestamp) {
        tradeID += 1
        let price = cents[s]
        let size = random.below(300) + 1
        if bars[s].trades == 0 {
            bars[s] = MinuteBar(open: price, high: price, low: price, close: price, volume: size, trades: 1)
        } else {
            bars[s].high = max(bars[s].high, price)
            bars[s].low = min(bars[s].low, price)
            bars[s].close = price
            bars[s].volume += size
            bars[s].trades += 1
        }
        append(#"{"T":"t","S":""#)
        bytes += symbols[s]
        append(#"","i":"#)
        appendInt(tradeID)
        append(#","x":"V","p":"#)
        appendPrice(price)
        append(#","s":"#)
        appendInt(size)
        append(#","c":["@"],"z":"C","t":""#)
        appendStamp(now)
        append(#""}"#)
    }

    /// At a new minute, queues the finished minute's bars (oldest symbol last out: order is free).
    private mutating func rollMinute(at now: Timestamp) {
        let current = now.nanoseconds / 60_000_000_000
        guard current != minute else { return }
        defer { minute = current }
        guard minute >= 0 else { return }
        let start = Timestamp(nanoseconds: minute * 60_000_000_000).rfc3339Seconds
        let saved = bytes
        for s in symbols.indices where bars[s].trades > 0 {
            let bar = bars[s]
            bytes = []
            append(#"{"T":"b","S":""#)
            bytes += symbols[s]
            append(#"","o":"#)
            appendPrice(bar.open)
            append(#","h":"#)
            appendPrice(bar.high)
            append(#","l":"#)
            appendPrice(bar.low)
            append(#","c":"#)
            appendPrice(bar.close)
            append(#","v":"#)
            appendInt(bar.volume)
            append(#","t":""#)
            append(start)
            append(#"","n":"#)
            appendInt(bar.trades)
            append(#","vw":"#)
            appendPrice(bar.close)
            append("}")
            pendingBars.append(bytes)
            bars[s] = MinuteBar()
        }
        bytes = saved
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) { bytes += text.utf8 }

    private mutating func appendInt(_ value: Int) {
        precondition(value >= 0)
        if value >= 10 { appendInt(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// `123.45` from 12345 cents.
    private mutating func appendPrice(_ cents: Int) {
        appendInt(cents / 100)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(cents / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(cents % 10))
    }

    /// `2026-12-06T11:40:12.123456789Z`, the next message's time; the seconds part is formatted once per second.
    private mutating func appendStamp(_ now: Timestamp) {
        lastStamp = max(now.nanoseconds, lastStamp + 1)
        let second = lastStamp / 1_000_000_000
        if second != stampSecond {
            stampSecond = second
            stampPrefix = Array(Timestamp(nanoseconds: second * 1_000_000_000).rfc3339Seconds.dropLast().utf8)
        }
        bytes += stampPrefix
        bytes.append(UInt8(ascii: "."))
        let fraction = Int(lastStamp % 1_000_000_000)
        var divisor = 100_000_000
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
        bytes.append(UInt8(ascii: "Z"))
    }
}
