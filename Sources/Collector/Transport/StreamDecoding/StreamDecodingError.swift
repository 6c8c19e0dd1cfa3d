/// Why a stream frame could not be decoded. A decoder either returns every message of a
/// frame or throws one of these; it never returns a partial or guessed value.
///
/// Syntax is checked over the whole frame before a message-level error is thrown, so a frame
/// that is not JSON always reports `malformed`, whatever its messages hold.
package enum StreamDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not JSON (RFC 8259); `offset` is the byte where reading stopped.
    case malformed(offset: Int, reason: String)
    /// Valid JSON in the wrong shape, e.g. an object where the array of messages belongs.
    case unexpectedShape(offset: Int, expected: String)
    /// A message (by index in its frame; nil for the frame's own fields) lacks a field its
    /// type needs: absent or null.
    case missingField(String, message: Int?)
    /// A field holds the wrong JSON type or a value that cannot be used: a number out of
    /// range, an unreadable time, an invalid symbol.
    case invalidField(String, message: Int?, reason: String)

    /// The field an error names, if any.
    package var field: String? {
        switch self {
        case .missingField(let field, _), .invalidField(let field, _, _): field
        case .malformed, .unexpectedShape: nil
        }
    }

    /// The index of the message an error names, if any.
    package var message: Int? {
        switch self {
        case .missingField(_, let message), .invalidField(_, let message, _): message
        case .malformed, .unexpectedShape: nil
        }
    }

    package var description: String {
        switch self {
        case .malformed(let offset, let reason):
            "malformed JSON at byte \(offset): \(reason)"
        case .unexpectedShape(let offset, let expected):
            "unexpected JSON at byte \(offset): expected \(expected)"
        case .missingField(let field, let message):
            "\(Self.place(message)) has no '\(field)'"
        case .invalidField(let field, let message, let reason):
            "\(Self.place(message)) has an unusable '\(field)': \(reason)"
        }
    }

    private static func place(_ message: Int?) -> String {
        message.map { "message \($0)" } ?? "the frame"
    }
}

extension StreamDecodingError {
    /// What is wrong with a message decoded on its own, without its place in the frame:
    /// "without 'p'", "with an unusable 'p': expected a number, found a string".
    var problem: String {
        switch self {
        case .missingField(let field, _): "without '\(field)'"
        case .invalidField(let field, _, let reason): "with an unusable '\(field)': \(reason)"
        case .unexpectedShape: "that is not an object"
        case .malformed(_, let reason): "that is not JSON (\(reason))"
        }
    }
}
