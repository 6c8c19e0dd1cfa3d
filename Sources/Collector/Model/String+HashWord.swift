import Foundation

extension String {
    /// Hashes the string as one word when it is ASCII (FNV-1a of its bytes, which `Hasher` then
    /// mixes): several times cheaper than `String`'s hashing of its bytes, for the short keys
    /// the hot path looks up for every quote (`Symbol`, `SourceID`). Any other string is hashed
    /// as its canonical (NFC) form is, as `==` compares: as one word when that form is ASCII
    /// (`"a\u{037E}b"` equals `"a;b"`), else by `String`'s own hashing.
    func hashAsWord(into hasher: inout Hasher) {
        if let word = asciiWord {
            hasher.combine(word)
            return
        }
        let canonical = precomposedStringWithCanonicalMapping
        if let word = canonical.asciiWord { hasher.combine(word) } else { hasher.combine(canonical) }
    }

    /// FNV-1a over the UTF-8 bytes, or nil when one is not ASCII.
    private var asciiWord: UInt64? {
        var word: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            guard byte < 0x80 else { return nil }
            word = (word ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return word
    }
}
