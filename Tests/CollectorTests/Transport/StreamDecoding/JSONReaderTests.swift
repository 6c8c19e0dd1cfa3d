import Foundation
import Testing

@testable import Collector

@Suite("JSON reader for stream frames")
struct JSONReaderTests {
    static func string(_ json: String) -> String? {
        Array(json.utf8).withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            guard let value = try? reader.readValue(), (try? reader.finish()) != nil, value.kind == .string else { return nil }
            return reader.string(value)
        }
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            return (try? reader.readValue()) != nil && (try? reader.finish()) != nil
        }
    }

    @Test(arguments: [
        (#""plain""#, "plain"), (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"), (#""\u00e9\u00E9é""#, "ééé"),
        (#""\uD83D\uDE00😀""#, "😀😀"), (#""\u0000""#, "\u{0}"), (#""\uFFFF\u10FFFF""#, "\u{FFFF}\u{10FF}FF"),
        (#""株式\u4F1A社""#, "株式会社"), ("\"\u{7F}\u{10FFFF}\"", "\u{7F}\u{10FFFF}"), (#""""#, "")
    ])
    func stringsDecodeEveryEscape(json: String, text: String) {
        #expect(Self.string(json) == text)
    }

    @Test(arguments: [
        #""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, #""\uD800x""#, #""\uD800\uD800""#, #""\u12G4""#, #""\u00e""#,
        #""\x""#, #""\'""#, "\"tab\there\"", "\"nul\u{0}\"", #""open"#, #"""#, #""\"#
    ])
    func badStringsAreRejected(json: String) {
        #expect(!Self.isValid(Array(json.utf8)))
    }

    @Test(
        arguments: [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xC3, 0x28]
        ] as [[UInt8]])
    func invalidUTF8IsRejectedEvenInSkippedStrings(sequence: [UInt8]) {
        #expect(!Self.isValid([0x22] + sequence + [0x22]))
        #expect(!Self.isValid(Array(#"{"skipped":[""#.utf8) + sequence + Array(#""]}"#.utf8)))
    }

    @Test(arguments: [
        "01", "-", "-01", "1.", ".5", "+1", "1e", "1e+", "1.e5", "0x10", "NaN", "Infinity", "--1", "1ee2", "tru", "nul", "True",
        "[1,]", "[,1]", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{1:2}", "[1 2]", "/*c*/1", "'a'", "[", "{", "", " ", "1 2",
        "\u{FEFF}1", "[1]]", "{}}", "\"a\"\"b\""
    ])
    func malformedDocumentsAreRejected(json: String) {
        #expect(!Self.isValid(Array(json.utf8)))
    }

    @Test func nestingIsFollowedToALimitWithoutCrashing() {
        let deepest = JSONReader.maximumDepth
        #expect(Self.isValid(Array((String(repeating: "[", count: deepest) + String(repeating: "]", count: deepest)).utf8)))
        let tooDeep = String(repeating: "[{\"a\":", count: 5_000)
        #expect(!Self.isValid(Array(tooDeep.utf8)))
    }

    /// Random numbers in every JSON form against `JSONDecoder`: the same double, bit for bit,
    /// and the same `Int64`, or a failure from both.
    @Test func numbersConvertExactlyAsJSONDecoderDoes() throws {
        var generator = StreamMessageGenerator(seed: 42)
        var checked = 0
        for _ in 0..<20_000 {
            let text = Self.randomNumber(&generator)
            let bytes = Array(text.utf8)
            let reference = try? JSONDecoder().decode([Double].self, from: Data("[\(text)]".utf8)).first
            let integer = try? JSONDecoder().decode([Int64].self, from: Data("[\(text)]".utf8)).first
            let (fastDouble, fastInteger) = bytes.withUnsafeBufferPointer { buffer in
                (JSONNumber.double(buffer), JSONNumber.int64(buffer, isInteger: !text.contains { ".eE".contains($0) }))
            }
            if reference == nil, Self.isZeroWithExponent(text) {
                // Foundation refuses some zeros written with an exponent as doubles ("0e1",
                // "0.00e1": its check for a true zero reads the last bytes backwards). They are zero.
                #expect(fastDouble == 0, "\(text)")
            } else {
                #expect(
                    fastDouble?.bitPattern == reference?.bitPattern,
                    "\(text): \(String(describing: fastDouble)) vs \(String(describing: reference))")
            }
            #expect(fastInteger == integer, "\(text): \(String(describing: fastInteger)) vs \(String(describing: integer))")
            checked += 1
        }
        #expect(checked == 20_000)
    }

    static func isZeroWithExponent(_ text: String) -> Bool {
        guard let mark = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return false }
        return text[..<mark].allSatisfy { "-0.".contains($0) }
    }

    @Test(arguments: ["0e1", "0E1", "0e5", "0.00e1", "-0e9"])
    func zerosWithAnExponentAreZero(text: String) {
        let (double, integer) = Array(text.utf8).withUnsafeBufferPointer {
            (JSONNumber.double($0), JSONNumber.int64($0, isInteger: false))
        }
        #expect(double == 0 && integer == 0)
    }

    static func randomNumber(_ g: inout StreamMessageGenerator) -> String {
        func digits(_ count: Int, leading: Bool) -> String {
            (0..<count).map { index in String(index == 0 && leading ? g.int(1...9) : g.int(0...9)) }.joined()
        }
        var text = g.chance(0.3) ? "-" : ""
        text += g.chance(0.2) ? "0" : digits(g.pick([1, 2, 5, 15, 16, 17, 19, 20, 25]), leading: true)
        if g.chance(0.6) { text += "." + digits(g.pick([1, 2, 3, 8, 15, 20, 30]), leading: false) }
        if g.chance(0.5) {
            text +=
                g.pick(["e", "E"]) + g.pick(["", "+", "-"])
                + String(g.pick([0, 1, 2, 5, 15, 16, 22, 23, 100, 300, 308, 309, 324, 330, 400]))
        }
        return text
    }

    /// Whatever the reader accepts, JSONSerialization accepts too (it may accept more).
    @Test func acceptedDocumentsAreJSON() {
        var generator = StreamMessageGenerator(seed: 7)
        let alphabet = Array("[]{}\",:0123456789-+.eEtrufalsn \\u/é".utf8) + [0x09, 0x0A, 0x01, 0xC3, 0xA9]
        var accepted = 0
        for _ in 0..<20_000 {
            let bytes = (0..<generator.int(1...12)).map { _ in generator.pick(alphabet) }
            guard Self.isValid(bytes) else { continue }
            accepted += 1
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil,
                "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        #expect(accepted > 100)
    }

    /// The slow path's helpers: element ranges of an array, and members of an object.
    @Test func elementRangesAndMembersForTheSlowPath() {
        func elements(_ json: String) -> [String]? {
            Array(json.utf8).withUnsafeBytes { raw in
                var reader = JSONReader(raw)
                return (try? reader.readElementRanges())?.map { String(decoding: raw[$0], as: UTF8.self) }
            }
        }
        #expect(elements(#" [ 1, {"a":[2,{"b":3}]} ,"x\"y" ,[]] "#) == ["1", #"{"a":[2,{"b":3}]}"#, #""x\"y""#, "[]"])
        #expect(elements("[]") == [])
        #expect(elements("{}") == nil)
        #expect(elements("[1,]") == nil)

        let object = Array(#"{"T":"q","S":"A\u0041PL","n":1,"T":"t"}"#.utf8)
        object.withUnsafeBytes { raw in
            #expect(JSONReader.text(of: "T", in: raw) == "q", "the first of a repeated key, as JSONDecoder")
            #expect(JSONReader.text(of: "S", in: raw) == "AAPL")
            #expect(JSONReader.text(of: "n", in: raw) == nil, "not a string")
            #expect(JSONReader.member("n", of: raw)?.kind == .number)
            #expect(JSONReader.member("x", of: raw) == nil)
        }
        Array("[1]".utf8).withUnsafeBytes { raw in #expect(JSONReader.member("T", of: raw) == nil, "not an object") }
    }

    /// Each hex constant in the field tables is the packed form of the property it fills.
    @Test func packedKeysFillThePropertyOfTheSameName() {
        func check<Fields>(_ empty: Fields, keep: (inout Fields, JSONValue, UnsafeRawBufferPointer) -> Void) {
            for child in Mirror(reflecting: empty).children {
                guard let name = child.label else { continue }
                var fields = empty
                var key = name
                key.withUTF8 { keep(&fields, JSONValue(kind: .null, start: 1, end: 2, flag: false), UnsafeRawBufferPointer($0)) }
                let filled = Mirror(reflecting: fields).children.filter { !"\($0.value)".hasPrefix("nil") }.map(\.label)
                #expect(filled == [name], "\(Fields.self).\(name)")
                var longer = name + "X"
                longer.withUTF8 {
                    keep(&fields, JSONValue(kind: .null, start: 3, end: 4, flag: false), UnsafeRawBufferPointer($0))
                }
                #expect(Mirror(reflecting: fields).children.filter { !"\($0.value)".hasPrefix("nil") }.count == 1)
            }
        }
        check(AlpacaStreamFields()) { $0.keep($1, key: $2) }
        check(PolygonStreamFields()) { $0.keep($1, key: $2) }
    }
}
