/// A call that makes several requests (one per market, say) where some failed and the others
/// answered: the values they returned and each failure. Thrown instead of discarding the good
/// answers with the bad; a call whose every request failed throws the first failure instead.
package struct PartialAnswer<Value: Sendable>: Error, Sendable, CustomStringConvertible {
    package var values: Value
    package var failures: [any Error]

    package var description: String {
        "some requests failed: " + failures.map { String(describing: $0) }.joined(separator: "; ")
    }
}
