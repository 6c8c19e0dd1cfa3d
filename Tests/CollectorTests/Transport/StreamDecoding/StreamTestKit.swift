import Collector
import CollectorTestSupport
import Foundation
import Testing

/// Decodes a frame with a fast decoder and checks the JSONDecoder reference agrees.
enum StreamTestKit {
    static let receivedAt = Timestamp(seconds: 1_709_653_400)

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    static func alpaca(_ frame: String, sourceLocation: SourceLocation = #_sourceLocation) throws(StreamDecodingError)
        -> [AlpacaStreamMessage]
    {
        var decoder = AlpacaStreamDecoder(source: "alpaca")
        let context = StreamReferenceContext(source: "alpaca", receivedAt: receivedAt)
        let fast = StreamOutcome(fast: { () throws(StreamDecodingError) in try decoder.decode(frame, receivedAt: receivedAt) })
        let reference = StreamOutcome(reference: { try AlpacaStreamReference.decode(Data(frame.utf8), context: context) })
        #expect(fast.agrees(withReference: reference), "fast \(fast), reference \(reference)", sourceLocation: sourceLocation)
        return try decoder.decode(Array(frame.utf8), receivedAt: receivedAt)
    }

    static func polygon(_ frame: String, sourceLocation: SourceLocation = #_sourceLocation) throws(StreamDecodingError)
        -> [PolygonStreamMessage]
    {
        var decoder = PolygonStreamDecoder(source: "polygon")
        let context = StreamReferenceContext(source: "polygon", receivedAt: receivedAt)
        let fast = StreamOutcome(fast: { () throws(StreamDecodingError) in try decoder.decode(frame, receivedAt: receivedAt) })
        let reference = StreamOutcome(reference: { try PolygonStreamReference.decode(Data(frame.utf8), context: context) })
        #expect(fast.agrees(withReference: reference), "fast \(fast), reference \(reference)", sourceLocation: sourceLocation)
        return try decoder.decode(Array(frame.utf8), receivedAt: receivedAt)
    }

    static func finnhub(_ frame: String, sourceLocation: SourceLocation = #_sourceLocation) throws(StreamDecodingError)
        -> FinnhubStreamMessage
    {
        var decoder = FinnhubStreamDecoder(source: "finnhub")
        let context = StreamReferenceContext(source: "finnhub", receivedAt: receivedAt)
        let fast = StreamOutcome(fast: { () throws(StreamDecodingError) in try decoder.decode(frame, receivedAt: receivedAt) })
        let reference = StreamOutcome(
            reference: { try FinnhubStreamReference.decode(Data(frame.utf8), context: context) }, nested: true)
        #expect(fast.agrees(withReference: reference), "fast \(fast), reference \(reference)", sourceLocation: sourceLocation)
        return try decoder.decode(Array(frame.utf8), receivedAt: receivedAt)
    }

    /// The error a frame is rejected with, or nil when it decodes.
    static func error(_ body: () throws -> Void) -> StreamDecodingError? {
        do {
            try body()
            return nil
        } catch {
            return error as? StreamDecodingError
        }
    }
}
