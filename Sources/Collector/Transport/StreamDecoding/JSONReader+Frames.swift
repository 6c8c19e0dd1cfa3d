/// The values of one message's keys, gathered before its type says how to read them.
protocol StreamMessageFields {
    init()
    /// Keeps `value` when `key` (UTF-8, escapes resolved) is one the decoder reads.
    mutating func keep(_ value: JSONValue, key: UnsafeRawBufferPointer)
}

/// The outer shapes of stream frames: an array of message objects (Alpaca, Polygon) or one
/// object (Finnhub). Valid JSON of another shape is `unexpectedShape`, never `malformed`.
extension JSONReader {
    /// Reads a whole frame that is an array of message objects, turning each message's fields
    /// into a value with `decode`. Syntax is checked to the end of the frame before the first
    /// message error is thrown, so a broken frame is always `malformed`.
    mutating func readMessages<Fields: StreamMessageFields, Message>(
        _ decode: (Fields, StreamFieldReader) throws(StreamDecodingError) -> Message
    ) throws(StreamDecodingError) -> [Message] {
        var messages: [Message] = []
        var firstError: StreamDecodingError?
        if try beginMessageArray() {
            var index = 0
            repeat {
                skipWhitespace()
                let start = offset
                var fields = Fields()
                let isObject = try readMembers(depth: 1) { key, value in fields.keep(value, key: key) }
                if !isObject {
                    firstError = firstError ?? .unexpectedShape(offset: start, expected: "message \(index) as an object")
                } else if firstError == nil {
                    do {
                        messages.append(try decode(fields, StreamFieldReader(reader: self, message: index)))
                    } catch {
                        firstError = error
                    }
                }
                index += 1
            } while try nextElement()
        }
        try finish()
        if let firstError { throw firstError }
        return messages
    }

    /// Reads the frame's `[`: true when a message follows. Anything else is read through (to
    /// tell malformed from merely unexpected JSON) and reported.
    mutating func beginMessageArray() throws(StreamDecodingError) -> Bool {
        if peek() == UInt8(ascii: "[") { return try beginArray() }
        let start = offset
        _ = try readValue()
        try finish()
        throw .unexpectedShape(offset: start, expected: "a JSON array of messages")
    }

    /// Reads the members of the object at the cursor, handing each key's UTF-8 bytes and its
    /// (validated) value to `keep`. Nil, with the value read through, when it is not an object.
    mutating func readMembers(
        depth: Int, _ keep: (UnsafeRawBufferPointer, JSONValue) -> Void
    ) throws(StreamDecodingError) -> Bool {
        guard peek() == UInt8(ascii: "{") else {
            _ = try readValue(depth: depth)
            return false
        }
        if try beginObject() {
            repeat {
                let key = try readKey()
                let value = try readValue(depth: depth + 1)
                withUTF8(of: key) { keep($0, value) }
            } while try nextMember()
        }
        return true
    }

    /// Reads the array at the cursor and returns the byte range of each element, for the
    /// slow path that decodes the messages of a refused frame one by one.
    mutating func readElementRanges(depth: Int = 0) throws(StreamDecodingError) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        guard try beginArray() else { return ranges }
        repeat {
            skipWhitespace()
            let start = offset
            _ = try readValue(depth: depth + 1)
            ranges.append(start..<offset)
        } while try nextElement()
        return ranges
    }

    /// The first value of `key` in the object that is the whole of `bytes` (offsets into
    /// `bytes`); nil when the key is absent or `bytes` is not an object. For the slow path.
    static func member(_ key: StaticString, of bytes: UnsafeRawBufferPointer) -> JSONValue? {
        var reader = JSONReader(bytes)
        var found: JSONValue?
        let isObject = try? reader.readMembers(depth: 0) { name, value in
            if JSONKey.equals(name, key) { JSONKey.keepFirst(&found, value) }
        }
        return isObject == true ? found : nil
    }

    /// The text of `key` in the object that is the whole of `bytes`, when it is a string.
    static func text(of key: StaticString, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let value = member(key, of: bytes), value.kind == .string else { return nil }
        return JSONReader(bytes).string(value)
    }

    /// The byte of a one-byte string without escapes (`"q"`), for a fast switch on types.
    func singleByte(_ token: JSONValue) -> UInt8? {
        token.end - token.start == 1 && !token.flag ? bytes[token.start] : nil
    }
}
