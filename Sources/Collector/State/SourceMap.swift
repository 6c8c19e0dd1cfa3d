/// A symbol's values keyed by source, in the order the sources first came. A symbol has one
/// source, or a few: a look-up compares the few ids (short strings, compared in place) where a
/// dictionary would hash the id on every look-up, and the quote book looks up several per quote.
package struct SourceMap<Value: Sendable>: Sendable {
    private var pairs: [(source: SourceID, value: Value)] = []

    package init() {}

    package var count: Int { pairs.count }
    package var isEmpty: Bool { pairs.isEmpty }

    /// The value of `source`, if it has one.
    package subscript(source: SourceID) -> Value? { index(of: source).map { pairs[$0].value } }

    /// Where `source`'s value is, for `subscript(at:)`.
    package func index(of source: SourceID) -> Int? { pairs.firstIndex { $0.source == source } }

    /// The value at `index` (from `index(of:)`), read and changed in place.
    package subscript(at index: Int) -> Value {
        _read { yield pairs[index].value }
        _modify { yield &pairs[index].value }
    }

    /// Adds `source`'s value; it must have none.
    package mutating func append(_ value: Value, for source: SourceID) {
        assert(index(of: source) == nil, "\(source) already has a value")
        pairs.append((source, value))
    }

    /// The only value, when exactly one source has one.
    package var only: Value? { pairs.count == 1 ? pairs[0].value : nil }

    /// The values, in the order their sources first came.
    package var values: [Value] { pairs.map(\.value) }

    /// The same values in a dictionary.
    package var dictionary: [SourceID: Value] {
        Dictionary(uniqueKeysWithValues: pairs.lazy.map { ($0.source, $0.value) })
    }
}
