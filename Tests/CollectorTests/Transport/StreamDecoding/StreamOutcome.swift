import Collector
import Foundation

/// What decoding one frame came to, in terms both decoders can be compared on: the values,
/// a failure located at a message's field, or a failure of the frame as a whole.
enum StreamOutcome<Value: Equatable>: Equatable, CustomStringConvertible {
    case value(Value)
    /// A field-level failure: which message (nil for a frame's own field) and which field.
    case located(message: Int?, field: String)
    /// (Fast decoder only) a number field out of range: the reference reports these without a location.
    case outOfRange(message: Int?, field: String)
    /// The frame as a whole: malformed, another shape, or (reference only) no location given.
    case frame(String)

    /// The fast decoder's result.
    init(fast body: () throws(StreamDecodingError) -> Value) {
        do {
            self = .value(try body())
        } catch {
            switch error {
            case .invalidField(let field, let message, let reason) where reason.hasPrefix("the number"):
                self = .outOfRange(message: message, field: field)
            case .missingField(let field, let message), .invalidField(let field, let message, _):
                self = .located(message: message, field: field)
            case .malformed, .unexpectedShape:
                self = .frame("\(error)")
            }
        }
    }

    /// The reference's result. `nested` says where the messages are: Alpaca and Polygon paths
    /// start with the message index; Finnhub's with `data` and then the index.
    init(reference body: () throws -> Value, nested: Bool = false) {
        do {
            self = .value(try body())
        } catch let error as StreamDecodingError {
            self = error.field.map { .located(message: error.message, field: $0) } ?? .frame("\(error)")
        } catch let error as DecodingError {
            self = Self.locate(error, nested: nested)
        } catch {
            self = .frame("\(error)")
        }
    }

    private static func locate(_ error: DecodingError, nested: Bool) -> StreamOutcome {
        var path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: return .frame("\(error)")
        }
        if nested {
            guard let first = path.first else { return .frame("\(error)") }
            guard first.stringValue == "data", path.count >= 2 else { return .located(message: nil, field: first.stringValue) }
            path.removeFirst()
        }
        guard path.count >= 2, let message = path[0].intValue, path[1].intValue == nil else {
            return .frame("\(error)")
        }
        return .located(message: message, field: path[1].stringValue)
    }

    var description: String {
        switch self {
        case .value(let value): "value \(value)"
        case .located(let message, let field): "failure at message \(message.map(String.init) ?? "-") field \(field)"
        case .outOfRange(let message, let field):
            "number out of range at message \(message.map(String.init) ?? "-") field \(field)"
        case .frame(let reason): "frame failure: \(reason)"
        }
    }

    /// Whether the fast decoder's outcome (self) agrees with the reference's: equal values,
    /// the same located failure, or a frame failure (Foundation reports syntax errors and
    /// out-of-range numbers without a location; the fast decoder names the number's field).
    func agrees(withReference reference: StreamOutcome) -> Bool {
        switch (self, reference) {
        case (.value(let fast), .value(let slow)): fast == slow
        case (.located(let m1, let f1), .located(let m2, let f2)): m1 == m2 && f1 == f2
        case (.frame, .frame), (.outOfRange, .frame): true
        default: false
        }
    }

    var isValue: Bool {
        if case .value = self { return true }
        return false
    }
}
