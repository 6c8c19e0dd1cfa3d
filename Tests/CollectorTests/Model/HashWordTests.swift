import Collector
import Testing

/// `Symbol` and `SourceID` hash their spelling as one word (`String.hashAsWord`): equal values
/// must still hash alike, including strings that are equal only canonically.
@Suite("Hashing symbols and source ids as one word")
struct HashWordTests {
    func hash(_ value: some Hashable) -> Int {
        var hasher = Hasher()
        hasher.combine(value)
        return hasher.finalize()
    }

    @Test(arguments: [
        ("a;b", "a\u{037E}b"),  // GREEK QUESTION MARK is canonically ';'
        ("caf\u{E9}", "cafe\u{301}"),  // composed and decomposed e-acute
        ("x`", "x\u{1FEF}")  // GREEK VARIA is canonically '`'
    ])
    func sourceIDsEqualCanonicallyHashAlike(_ pair: (String, String)) {
        let (one, other) = (SourceID(pair.0), SourceID(pair.1))
        #expect(one == other)
        #expect(hash(one) == hash(other))
        #expect(Set([one, other]).count == 1)
    }

    @Test func distinctSpellingsAreDistinctKeys() throws {
        let names = ["sim", "alpaca", "yahoo", "polygon-delayed", "sim2"]
        let ids = Set(names.map { SourceID($0) })
        #expect(ids.count == names.count)
        let symbols = try Set(["AAPL", "BRK.B", "BTC-USD", "EURUSD=X", "^GSPC", "aapl"].map { try Symbol($0) })
        #expect(symbols.count == 5, "AAPL and aapl are one symbol")
        #expect(try hash(Symbol("brk-b")) == hash(Symbol("BRK.B")))
    }
}
