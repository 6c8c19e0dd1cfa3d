import Collector
import CollectorTestSupport
import Foundation

/// The live stream's hot path, as issue #5 measures it: Alpaca frames of quotes and trades
/// batched as the stream sends them (10 messages a frame, 3 quotes to 1 trade, 10 symbols),
/// from raw bytes to validated values. The stream's decoder (`AlpacaStreamMessageDecoder`,
/// what `LiveStreamService` runs, Finnhub-style quote-from-trade aside) and then the
/// configured validator (versions 1 and 2), next to `JSONDecoder` plus the same validator
/// on the same bytes. Every value must pass: a flagged value stops the benchmark.
enum StreamIngestBenchmark {
    static let perFrame = 10

    static func run(messages count: Int) -> [BenchmarkResult] {
        let frames = makeFrames(messages: count)
        let fast = measure(frames) { frame, receivedAt in
            decoder.decode(frame, source: "alpaca", receivedAt: receivedAt).compactMap { message in
                if case .event(let event) = message { event } else { nil }
            }
        }
        let referenceFrames = Array(frames.prefix(max(10, frames.count / 5)))
        let reference = measure(referenceFrames) { frame, receivedAt in
            let context = StreamReferenceContext(source: "alpaca", receivedAt: receivedAt)
            guard let messages = try? AlpacaStreamReference.decode(Data(frame.utf8), context: context) else {
                preconditionFailure("benchmark frames must decode with JSONDecoder")
            }
            return messages.compactMap(\.event)
        }
        let ratio = String(format: "%.1f", fast.perSecond / reference.perSecond)
        return [
            BenchmarkResult(
                name: "stream: decode + validate", count: fast.messages, seconds: fast.seconds,
                note: "quotes and trades, \(perFrame)/frame, bytes to validated values; \(ratio)x JSONDecoder (target 300k/s)"),
            BenchmarkResult(
                name: "stream: JSONDecoder + validate", count: reference.messages, seconds: reference.seconds,
                note: "the same bytes through JSONDecoder and the same validator")
        ]
    }

    static let decoder = AlpacaStreamMessageDecoder()

    struct Figure {
        var messages: Int
        var seconds: Double
        var perSecond: Double { Double(messages) / seconds }
    }

    /// Decodes and validates every frame; each frame is received 20 ms after its last message.
    static func measure(_ frames: [Frame], decode: (String, Timestamp) -> [MarketEvent]) -> Figure {
        var validator = Validator(configuration: .defaults)
        var messages = 0
        var flagged = 0
        let elapsed = ContinuousClock().measure {
            for frame in frames {
                let events = decode(frame.text, frame.receivedAt)
                let result = validator.validate(events, origin: .live, at: frame.receivedAt)
                messages += result.accepted.count
                flagged += result.anomalies.count
            }
        }
        precondition(flagged == 0, "benchmark frames must pass validation, \(flagged) flagged")
        precondition(messages == frames.count * perFrame, "every message decoded")
        return Figure(messages: messages, seconds: elapsed.secondsValue)
    }

    struct Frame {
        var text: String
        var receivedAt: Timestamp
    }

    /// From 09:30 New York on a Monday, a message every 1.3 ms; each symbol's price walks
    /// a cent at a time, trades at the mid.
    static func makeFrames(messages count: Int) -> [Frame] {
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "BRK.B", "AMD", "SPY"]
        let base = Timestamp(rfc3339: "2026-03-02T14:30:00Z")!
        var random = SplitMix64(seed: 42)
        var mids = symbols.indices.map { 100 + Double($0) * 25 }
        var frames: [Frame] = []
        var messages: [String] = []
        var tradeID = 52_983_525_029_461
        for i in 0..<(count / perFrame * perFrame) {
            let s = i % symbols.count
            mids[s] = max(1, mids[s] + [-0.01, 0, 0.01][random.below(3)])
            let time = Timestamp(nanoseconds: base.nanoseconds + Int64(i) * 1_317_000)
            let stamp = time.rfc3339Seconds.dropLast() + String(format: ".%06dZ", Int(time.nanoseconds % 1_000_000_000) / 1_000)
            let mid = mids[s]
            if i % 4 == 3 {
                tradeID += 1
                messages.append(
                    #"{"T":"t","S":"\#(symbols[s])","i":\#(tradeID),"x":"V","p":\#(String(format: "%.2f", mid)),"#
                        + #""s":\#(random.below(300) + 1),"c":["@"],"z":"C","t":"\#(stamp)"}"#)
            } else {
                messages.append(
                    #"{"T":"q","S":"\#(symbols[s])","bx":"V","bp":\#(String(format: "%.2f", mid - 0.01)),"bs":\#(random.below(7) + 1),"#
                        + #""ax":"Q","ap":\#(String(format: "%.2f", mid + 0.01)),"as":\#(random.below(5) + 1),"c":["R"],"z":"C","t":"\#(stamp)"}"#
                )
            }
            if messages.count == perFrame {
                frames.append(Frame(text: "[" + messages.joined(separator: ",") + "]", receivedAt: time + .milliseconds(20)))
                messages.removeAll(keepingCapacity: true)
            }
        }
        return frames
    }
}
