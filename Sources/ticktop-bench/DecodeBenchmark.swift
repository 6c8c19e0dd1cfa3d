import Collector
import CollectorTestSupport
import Foundation

/// Alpaca quote messages per second: `AlpacaStreamDecoder` alone and through
/// `AlpacaStreamMessageDecoder` (text frames to `[StreamMessage]`, what the stream service
/// reads), against `JSONDecoder` into Codable wire structs (the tests' reference), with times
/// parsed exactly or with Foundation's ISO 8601 parser. Frames of 1 and of 100 messages, like
/// a quiet and a busy stream; 11-field quotes of about 150 bytes over 10 symbols
/// (performance-notes.md §3).
enum DecodeBenchmark {
    static func run(messages count: Int) -> [BenchmarkResult] {
        let receivedAt = Timestamp(seconds: 1_772_463_600)
        let referenceCount = max(100, count / 5)  // JSONDecoder is slower: fewer messages, same rate
        var results: [BenchmarkResult] = []
        for perFrame in [1, 100] {
            let frames = makeFrames(messages: count, perFrame: perFrame)
            let bytes = frames.reduce(0) { $0 + $1.count }
            let fast = measureFast(frames, receivedAt: receivedAt)
            results.append(
                BenchmarkResult(
                    name: "decode: fast, \(perFrame)/frame", count: fast.messages, seconds: fast.seconds,
                    note: String(format: "%.0f MB/s, AlpacaStreamDecoder", Double(bytes) / fast.seconds / 1e6)))
            let texts = frames.map { String(decoding: $0, as: UTF8.self) }
            let adapted = measureAdapter(texts, receivedAt: receivedAt)
            results.append(
                BenchmarkResult(
                    name: "decode: adapter, \(perFrame)/frame", count: adapted.messages, seconds: adapted.seconds,
                    note: String(
                        format: "text frames to [StreamMessage] (what the stream service reads), %.0f%% of the fast rate",
                        100 * (Double(adapted.messages) / adapted.seconds) / (Double(fast.messages) / fast.seconds))))

            let referenceFrames = Array(frames.prefix(max(1, referenceCount / perFrame))).map { Data($0) }
            let exact = StreamReferenceContext(source: "alpaca", receivedAt: receivedAt)
            let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            let iso = StreamReferenceContext(source: "alpaca", receivedAt: receivedAt) { text in
                (try? style.parse(text)).map(Timestamp.init)
            }
            var check = AlpacaStreamDecoder(source: "alpaca")
            let adapter = AlpacaStreamMessageDecoder()
            for (frame, text) in zip(frames, texts).prefix(10) {
                let fastValue = try? check.decode(frame, receivedAt: receivedAt)
                precondition(fastValue == (try? AlpacaStreamReference.decode(Data(frame), context: exact)), "decoders disagree")
                let events = fastValue?.compactMap { $0.event.map(StreamMessage.event) }
                precondition(adapter.decode(text, source: "alpaca", receivedAt: receivedAt) == events, "the adapter disagrees")
            }
            func speedup(_ slow: (messages: Int, seconds: Double)) -> String {
                String(format: "%.1f", (Double(fast.messages) / fast.seconds) / (Double(slow.messages) / slow.seconds))
            }
            let plain = measurePlain(referenceFrames)
            results.append(
                BenchmarkResult(
                    name: "decode: JSONDecoder, \(perFrame)/frame", count: plain.messages, seconds: plain.seconds,
                    note: "parse only into an 11-field Codable struct; fast decoder is \(speedup(plain))x"))
            for (label, context) in [("exact RFC 3339", exact), ("ISO8601FormatStyle", iso)] {
                let slow = measureReference(referenceFrames, context: context)
                results.append(
                    BenchmarkResult(
                        name: "decode: JSONDecoder, \(perFrame)/frame", count: slow.messages, seconds: slow.seconds,
                        note: "to ticktop values, \(label) times; fast decoder is \(speedup(slow))x"))
            }
        }
        return results
    }

    static func measureFast(_ frames: [[UInt8]], receivedAt: Timestamp) -> (messages: Int, seconds: Double) {
        var decoder = AlpacaStreamDecoder(source: "alpaca")
        var messages = 0
        var checksum = 0.0
        let elapsed = ContinuousClock().measure {
            for frame in frames {
                // The buffer entry point, as the stream service calls it: the `[UInt8]` convenience
                // is generic over the decoder, and a `package` generic is not specialized across
                // modules (it cost this loop a quarter of its rate).
                let decoded = frame.withUnsafeBytes { raw in try? decoder.decode(raw, receivedAt: receivedAt) }
                guard let decoded else { preconditionFailure("benchmark frames must decode") }
                messages += decoded.count
                if case .quote(let quote) = decoded.last { checksum += quote.bid ?? 0 }
            }
        }
        precondition(checksum > 0)
        return (messages, elapsed.secondsValue)
    }

    static func measureAdapter(_ frames: [String], receivedAt: Timestamp) -> (messages: Int, seconds: Double) {
        let decoder = AlpacaStreamMessageDecoder()
        var messages = 0
        var checksum = 0.0
        let elapsed = ContinuousClock().measure {
            for frame in frames {
                let decoded = decoder.decode(frame, source: "alpaca", receivedAt: receivedAt)
                messages += decoded.count
                if case .event(.quote(let quote)) = decoded.last { checksum += quote.bid ?? 0 }
            }
        }
        precondition(checksum > 0)
        return (messages, elapsed.secondsValue)
    }

    static func measureReference(_ frames: [Data], context: StreamReferenceContext) -> (messages: Int, seconds: Double) {
        var messages = 0
        var checksum = 0.0
        let elapsed = ContinuousClock().measure {
            for frame in frames {
                guard let decoded = try? AlpacaStreamReference.decode(frame, context: context) else {
                    preconditionFailure("benchmark frames must decode with JSONDecoder")
                }
                messages += decoded.count
                if case .quote(let quote) = decoded.last { checksum += quote.bid ?? 0 }
            }
        }
        precondition(checksum > 0)
        return (messages, elapsed.secondsValue)
    }

    /// The performance notes' baseline: the quote's 11 fields as they are, nothing mapped.
    struct PlainQuote: Decodable {
        var T, S, bx, ax, z, t: String
        var bp, bs, ap, `as`: Double
        var c: [String]
    }

    static func measurePlain(_ frames: [Data]) -> (messages: Int, seconds: Double) {
        var messages = 0
        let decoder = JSONDecoder()
        let elapsed = ContinuousClock().measure {
            for frame in frames {
                guard let decoded = try? decoder.decode([PlainQuote].self, from: frame) else {
                    preconditionFailure("benchmark frames must decode with JSONDecoder")
                }
                messages += decoded.count
            }
        }
        return (messages, elapsed.secondsValue)
    }

    /// `[{"T":"q","S":"AAPL","bx":"V","bp":170.41,"bs":3,"ax":"Q","ap":170.43,"as":2,"c":["R"],"z":"C","t":"...Z"}, ...]`
    static func makeFrames(messages count: Int, perFrame: Int) -> [[UInt8]] {
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "BRK.B", "AMD", "SPY"]
        let base = Timestamp(rfc3339: "2026-03-02T14:30:00Z")!
        var frames: [[UInt8]] = []
        var frame = "["
        var inFrame = 0
        for i in 0..<count {
            let bid = String(format: "%.2f", 100 + Double(i % 9_973) / 100)
            let ask = String(format: "%.2f", 100.02 + Double(i % 9_973) / 100)
            let time = Timestamp(nanoseconds: base.nanoseconds + Int64(i) * 1_317_000)
            let fraction = String(format: "%06d", Int(time.nanoseconds % 1_000_000_000) / 1_000)
            let stamp = time.rfc3339Seconds.dropLast() + ".\(fraction)Z"
            if inFrame > 0 { frame += "," }
            frame +=
                #"{"T":"q","S":"\#(symbols[i % symbols.count])","bx":"V","bp":\#(bid),"bs":\#(i % 7 + 1),"#
                + #""ax":"Q","ap":\#(ask),"as":\#(i % 5 + 1),"c":["R"],"z":"C","t":"\#(stamp)"}"#
            inFrame += 1
            if inFrame == perFrame || i == count - 1 {
                frames.append(Array((frame + "]").utf8))
                frame = "["
                inFrame = 0
            }
        }
        return frames
    }
}
