/// A byte-level frame decoder as the stream services use it (through `StreamFrameMessageDecoder`):
/// its output as `StreamMessage`s, and a slow path for frames it refuses.
package protocol StreamMessageMapping: StreamFrameDecoder, Sendable {
    init(source: SourceID)
    var source: SourceID { get }
    /// What a frame must be, to name one that is not ("not a JSON array of messages: ...").
    static var frameShape: String { get }
    static func streamMessages(_ output: Output) -> [StreamMessage]
    /// Only after `decode` refused `frame` for something other than broken JSON: its messages
    /// decoded one by one, so a bad one is `.malformed` in its place and the others are kept.
    /// Nil when the frame itself has the wrong shape.
    mutating func messagesOneByOne(_ frame: UnsafeRawBufferPointer, receivedAt: Timestamp) -> [StreamMessage]?
}

extension StreamMessageMapping {
    /// The slow path of frames that are arrays of messages (Alpaca, Polygon): each element
    /// decoded as a frame of its own, a refused one named by its `type` and `symbol` keys.
    mutating func messagesOneByOne(
        inArray frame: UnsafeRawBufferPointer, receivedAt: Timestamp, type: StaticString, symbol: StaticString
    ) -> [StreamMessage]? {
        var reader = JSONReader(frame)
        guard let elements = try? reader.readElementRanges() else { return nil }
        return decodeEach(elements, of: frame, wrappedIn: "[", "]", receivedAt: receivedAt) { element in
            guard let type = JSONReader.text(of: type, in: element) else { return "a message" }
            return "a '\(ProviderMessage.shorten(type, limit: 24))' message" + Self.naming(symbol, in: element)
        }
    }

    /// Decodes each element (a byte range of `frame`) wrapped in `prefix` and `suffix`, which
    /// make it a frame of one message; a refused one is `.malformed`, named by `name`.
    mutating func decodeEach(
        _ elements: [Range<Int>], of frame: UnsafeRawBufferPointer, wrappedIn prefix: String, _ suffix: String,
        receivedAt: Timestamp, name: (UnsafeRawBufferPointer) -> String
    ) -> [StreamMessage] {
        var messages: [StreamMessage] = []
        for range in elements {
            let element = UnsafeRawBufferPointer(rebasing: frame[range])
            do throws(StreamDecodingError) {
                messages += Self.streamMessages(
                    try decode(Array(prefix.utf8) + element + Array(suffix.utf8), receivedAt: receivedAt))
            } catch {
                messages.append(.malformed("\(name(element)) \(error.problem)"))
            }
        }
        return messages
    }

    /// " for AAPL" when the element's `key` is a string, shortened; "" otherwise.
    static func naming(_ key: StaticString, in element: UnsafeRawBufferPointer) -> String {
        JSONReader.text(of: key, in: element).map { " for \(ProviderMessage.shorten($0, limit: 24))" } ?? ""
    }
}
