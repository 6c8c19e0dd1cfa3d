import Collector
import Foundation

/// What the JSONDecoder-based reference decoders stamp values with, handed to the wire
/// structs through `JSONDecoder.userInfo` so each message maps (and fails) where it is
/// decoded, as the fast decoders do.
package struct StreamReferenceContext: Sendable {
    package var source: SourceID
    package var receivedAt: Timestamp
    /// How RFC 3339 text becomes a timestamp: the exact parser by default; the benchmark
    /// also measures Foundation's ISO 8601 parsing here.
    package var parseTime: @Sendable (String) -> Timestamp?

    package init(
        source: SourceID, receivedAt: Timestamp,
        parseTime: @escaping @Sendable (String) -> Timestamp? = { Timestamp(rfc3339: $0) }
    ) {
        self.source = source
        self.receivedAt = receivedAt
        self.parseTime = parseTime
    }

    static let key = CodingUserInfoKey(rawValue: "ticktop.streamReferenceContext")!

    /// A decoder that carries this context.
    func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[Self.key] = self
        return decoder
    }

    static func from(_ decoder: any Decoder) -> StreamReferenceContext {
        decoder.userInfo[key] as! StreamReferenceContext
    }

    /// The message index of the value being decoded: the last integer in the coding path.
    static func messageIndex(_ decoder: any Decoder) -> Int? {
        decoder.codingPath.last { $0.intValue != nil }?.intValue
    }

    func symbol(_ text: String, field: String, message: Int?, resolve: (String) throws -> Symbol = { try Symbol($0) })
        throws -> Symbol
    {
        do {
            return try resolve(text)
        } catch let error as SymbolError {
            throw StreamDecodingError.invalidField(field, message: message, reason: error.reason)
        }
    }

    func time(_ text: String, field: String, message: Int?) throws -> Timestamp {
        guard let time = parseTime(text) else {
            throw StreamDecodingError.invalidField(field, message: message, reason: "not an RFC 3339 time")
        }
        return time
    }

    func time(milliseconds: Int64, field: String, message: Int?) throws -> Timestamp {
        guard let time = Timestamp(checkedMilliseconds: milliseconds) else {
            throw StreamDecodingError.invalidField(field, message: message, reason: "out of range")
        }
        return time
    }
}
