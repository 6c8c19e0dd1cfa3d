import CollectorTestSupport
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

    /// The excerpt masks only the start it can show, yet it is exactly "mask everything, then
    /// shorten" on any text: secrets before, across and after the cut, masking that pulls later
    /// text forward, query values, long whitespace and punctuation runs (seeded, 2,000 texts).
    @Test func anExcerptIsExactlyTheShortenedMaskedText() {
        let redactor = Redactor(secrets: ["PKTESTKEY0001", "s3cr3tSECRET"])
        let pieces = [
            "PKTESTKEY0001", "s3cr3tSECRET", "token=", "apikey=abc", "&", "word", "é\u{301}", " ", "   \n\t ",
            ":", "...", ")", "=", "x", "\"", "PKTEST", "KEY0001", "crumb=Xy7:pQ", "🙂"
        ]
        var random = SplitMix64(seed: 17)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...300, using: &random)
            let text = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
            let limit = [1, 10, 40, 160].randomElement(using: &random)!
            let expected = ProviderMessage.shorten(redactor.scrub(text), limit: limit)
            #expect(ProviderMessage.excerpt(text, limit: limit, masking: redactor) == expected, "\(text)")
        }
    }

    /// ASCII text is shortened byte by byte: exactly what reading it character by character gives,
    /// CR LF (one character of two bytes) and every kind of whitespace run included (seeded).
    @Test func asciiIsShortenedExactlyAsCharacters() {
        let pieces = ["a", "word", " ", "\t", "\r\n", "\n", "\r", "\u{0B}", "\u{0C}", "  \r\n ", "{", "\"x\":1"]
        var random = SplitMix64(seed: 29)
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...80, using: &random)
            let text = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
            let limit = [1, 2, 5, 20, 160].randomElement(using: &random)!
            #expect(ProviderMessage.shorten(text, limit: limit) == ProviderMessage.shortenCharacters(text, limit: limit))
            let redactor = Redactor(secrets: ["wordword"])
            #expect(
                ProviderMessage.excerpt(text, limit: limit, masking: redactor)
                    == ProviderMessage.shortenCharacters(redactor.scrub(text), limit: limit), "\(text)")
        }
    }

    /// A secret that begins just before the cut is masked whole, never shown in part.
    @Test func aSecretAcrossTheCutIsMaskedWhole() {
        let redactor = Redactor(secrets: ["PKTESTKEY0001"])
        let text = String(repeating: "a", count: 150) + "PKTESTKEY0001" + String(repeating: " b", count: 2_000)
        let excerpt = ProviderMessage.excerpt(text, masking: redactor)
        #expect(excerpt == String(repeating: "a", count: 150) + "*** b b b …")
        #expect(!excerpt.contains("PKTEST"))
    }
}
