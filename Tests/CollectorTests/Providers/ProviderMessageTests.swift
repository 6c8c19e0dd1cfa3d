import Testing

@testable import Collector

@Suite("Provider message excerpts")
struct ProviderMessageTests {
    /// One line, runs of whitespace as one space, cut at `limit` characters with "…".
    @Test(arguments: [
        ("", 10, ""),
        ("  \n\t ", 10, ""),
        ("plain", 10, "plain"),
        ("  two\n\n  lines \t", 10, "two lines"),
        ("exactly 10", 10, "exactly 10"),
        ("eleven char", 10, "eleven cha…"),
        ("ab cd", 3, "ab …"),
        ("ab cd", 2, "ab…"),
        ("ab   \n", 2, "ab"),
        ("é\u{301}x y", 2, "é\u{301}x…")
    ])
    func shortensToOneLine(text: String, limit: Int, expected: String) {
        #expect(ProviderMessage.shorten(text, limit: limit) == expected)
    }

    /// A 4 KB body keeps its first 160 characters whatever follows.
    @Test func shortensALongBodyToItsStart() {
        let body = Array(repeating: "word", count: 1_000).joined(separator: " \n ")
        let excerpt = ProviderMessage.shorten(ProviderMessage.text(of: Array(body.utf8)))
        #expect(excerpt.count == 161 && excerpt.hasSuffix("…"))
        #expect(excerpt.hasPrefix("word word word"))
    }
}
