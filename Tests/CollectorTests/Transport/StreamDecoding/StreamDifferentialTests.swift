import Collector
import CollectorTestSupport
import Foundation
import Testing

/// Differential tests: thousands of generated frames (unicode, escapes, missing, null and
/// extra fields, numbers in every JSON form, times with 0 to 9 fractional digits and any
/// offset) through the fast decoders and the JSONDecoder references. Valid frames must give
/// equal values or the same located error; broken frames must be `malformed`, never a value.
@Suite("Stream decoders against JSONDecoder")
struct StreamDifferentialTests {
    static let receivedAt = Timestamp(seconds: 1_709_653_400)
    static let framesPerSeed = 750

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func alpaca(seed: UInt64) {
        var decoder = AlpacaStreamDecoder(source: "alpaca")
        let context = StreamReferenceContext(source: "alpaca", receivedAt: Self.receivedAt)
        let stats = Self.run(
            seed: seed, generate: { $0.alpacaFrame() },
            fast: { bytes in Result { () throws(StreamDecodingError) in try decoder.decode(bytes, receivedAt: Self.receivedAt) }
            },
            reference: { bytes in StreamOutcome(reference: { try AlpacaStreamReference.decode(Data(bytes), context: context) }) },
            count: \.count)
        stats.expectBroadCoverage()
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func polygon(seed: UInt64) {
        var decoder = PolygonStreamDecoder(source: "polygon")
        let context = StreamReferenceContext(source: "polygon", receivedAt: Self.receivedAt)
        let stats = Self.run(
            seed: seed, generate: { $0.polygonFrame() },
            fast: { bytes in Result { () throws(StreamDecodingError) in try decoder.decode(bytes, receivedAt: Self.receivedAt) }
            },
            reference: { bytes in StreamOutcome(reference: { try PolygonStreamReference.decode(Data(bytes), context: context) })
            },
            count: \.count)
        stats.expectBroadCoverage()
    }

    @Test(arguments: [21, 22, 23, 24] as [UInt64])
    func finnhub(seed: UInt64) {
        var decoder = FinnhubStreamDecoder(source: "finnhub")
        let context = StreamReferenceContext(source: "finnhub", receivedAt: Self.receivedAt)
        let stats = Self.run(
            seed: seed, generate: { $0.finnhubFrame() },
            fast: { bytes in Result { () throws(StreamDecodingError) in try decoder.decode(bytes, receivedAt: Self.receivedAt) }
            },
            reference: { bytes in
                StreamOutcome(reference: { try FinnhubStreamReference.decode(Data(bytes), context: context) }, nested: true)
            },
            count: { message in if case .trades(let trades) = message { trades.count } else { 1 } })
        stats.expectBroadCoverage()
    }

    /// What a run saw, so a generator that drifts into producing only errors is noticed.
    struct Stats {
        var frames = 0
        var valueFrames = 0
        var messages = 0
        var locatedFailures = 0
        var rangeFailures = 0
        var frameFailures = 0
        var brokenFrames = 0

        func expectBroadCoverage() {
            #expect(valueFrames * 10 >= frames * 6, "most generated frames should be valid: \(self)")
            #expect(locatedFailures > 0 && rangeFailures > 0, "errors should be compared too: \(self)")
            #expect(messages >= frames, "\(self)")
        }
    }

    static func run<Value: Equatable>(
        seed: UInt64, generate: (inout StreamMessageGenerator) -> String,
        fast: ([UInt8]) -> Result<Value, StreamDecodingError>, reference: ([UInt8]) -> StreamOutcome<Value>,
        count: (Value) -> Int
    ) -> Stats {
        var generator = StreamMessageGenerator(seed: seed)
        var stats = Stats()
        var reported = 0
        func report(_ what: String, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
            reported += 1
            guard reported <= 8 else { return }
            let text = String(decoding: bytes.prefix(800), as: UTF8.self)
            Issue.record("seed \(seed), frame \(stats.frames): \(what)\n\(text.debugDescription)", sourceLocation: sourceLocation)
        }
        func outcome(_ result: Result<Value, StreamDecodingError>) -> StreamOutcome<Value> {
            StreamOutcome(fast: { () throws(StreamDecodingError) in try result.get() })
        }

        for _ in 0..<framesPerSeed {
            stats.frames += 1
            let frame = Array(generate(&generator).utf8)
            let fastOutcome = outcome(fast(frame))
            let referenceOutcome = reference(frame)
            if !fastOutcome.agrees(withReference: referenceOutcome) {
                report("fast \(fastOutcome)\nreference \(referenceOutcome)", frame)
            }
            switch fastOutcome {
            case .value(let value):
                stats.valueFrames += 1
                stats.messages += count(value)
            case .located: stats.locatedFailures += 1
            case .outOfRange: stats.rangeFailures += 1
            case .frame: stats.frameFailures += 1
            }

            // Certainly broken: the fast decoder must say malformed.
            var broken = StreamFrameMutation.allCases.map { $0.apply(to: frame, using: &generator) }
            if let brace = frame.firstIndex(of: UInt8(ascii: "{")) {
                let member = "\"zz\":" + generator.pick(StreamFrameMutation.poisonedValues) + ","
                broken.append(Array(frame[...brace]) + Array(member.utf8) + Array(frame[(brace + 1)...]))
            }
            for bytes in broken {
                stats.brokenFrames += 1
                if case .failure(.malformed) = fast(bytes) { continue }
                report("a broken frame was not reported malformed: \(outcome(fast(bytes)))", bytes)
            }

            // Perhaps broken (one byte deleted or replaced): a value must be the reference's value.
            var edited = frame
            let position = generator.int(0...max(0, edited.count - 1))
            if !edited.isEmpty {
                if generator.chance(0.5) {
                    edited.remove(at: position)
                } else {
                    edited[position] = generator.pick(Array("\",:[]{}0-.eE\\ au9".utf8))
                }
            }
            let editedOutcome = outcome(fast(edited))
            if editedOutcome.isValue, editedOutcome != reference(edited) {
                report("an edited frame decoded differently: fast \(editedOutcome), reference \(reference(edited))", edited)
            }
        }
        return stats
    }
}
