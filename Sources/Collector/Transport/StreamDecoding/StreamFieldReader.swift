/// Reads one message's fields as Swift values; every error names the field and the message.
/// Optional fields may be absent or null; required ones may be neither. A field of the wrong
/// JSON type is an error even when optional, as with `JSONDecoder`.
struct StreamFieldReader {
    let reader: JSONReader
    /// The message's index in its frame; nil for a frame's own fields.
    let message: Int?

    func required(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> JSONValue {
        guard let value, !value.isNull else { throw .missingField(field, message: message) }
        return value
    }

    /// A required string, as its token (convert with `text` or `timestamp`).
    func string(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> JSONValue {
        try expect(.string, try required(value, field), field)
    }

    func text(_ token: JSONValue) -> String { reader.string(token) }

    func optionalText(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> String? {
        guard let value, !value.isNull else { return nil }
        return reader.string(try expect(.string, value, field))
    }

    func double(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> Double {
        let token = try expect(.number, try required(value, field), field)
        guard let number = JSONNumber.double(reader.numberText(token)) else {
            throw .invalidField(field, message: message, reason: "the number does not fit a Double")
        }
        return number
    }

    func optionalDouble(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> Double? {
        guard let value, !value.isNull else { return nil }
        return try double(value, field)
    }

    func int64(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> Int64 {
        let token = try expect(.number, try required(value, field), field)
        guard let number = JSONNumber.int64(reader.numberText(token), isInteger: token.flag) else {
            throw .invalidField(field, message: message, reason: "the number is not a 64-bit integer")
        }
        return number
    }

    func optionalInt64(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        return try int64(value, field)
    }

    /// An optional array of strings; absent or null is empty.
    func textList(_ value: JSONValue?, _ field: String) throws(StreamDecodingError) -> [String] {
        guard let value, !value.isNull else { return [] }
        var elements = JSONReader(UnsafeRawBufferPointer(reader.bytes), offset: try expect(.array, value, field).start)
        var result: [String] = []
        // The array was validated when the frame was read, so only element types can fail here.
        guard (try? elements.beginArray()) == true else { return result }
        repeat {
            guard let element = try? elements.readValue(), element.kind == .string else {
                throw .invalidField(field, message: message, reason: "expected an array of strings")
            }
            result.append(reader.string(element))
        } while (try? elements.nextElement()) == true
        return result
    }

    /// An RFC 3339 time, exact to the nanosecond.
    func timestamp(_ token: JSONValue, _ field: String) throws(StreamDecodingError) -> Timestamp {
        guard let time = reader.withUTF8(of: token, { Timestamp(rfc3339UTF8: $0) }) else {
            let excerpt = String(text(token).prefix(40))
            throw .invalidField(field, message: message, reason: "'\(excerpt)' is not an RFC 3339 time")
        }
        return time
    }

    /// Unix milliseconds as a timestamp, unless outside `Timestamp.supportedRange`.
    func time(milliseconds: Int64, _ field: String) throws(StreamDecodingError) -> Timestamp {
        guard let time = Timestamp(checkedMilliseconds: milliseconds) else {
            throw .invalidField(field, message: message, reason: "the time is outside \(Timestamp.supportedRangeText)")
        }
        return time
    }

    func expect(_ kind: JSONValue.Kind, _ value: JSONValue, _ field: String) throws(StreamDecodingError) -> JSONValue {
        guard value.kind == kind else {
            let expected = JSONValue(kind: kind, start: 0, end: 0, flag: false).kindName
            throw .invalidField(field, message: message, reason: "expected \(expected), found \(value.kindName)")
        }
        return value
    }
}
