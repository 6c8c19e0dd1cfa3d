import CollectorTestSupport
import Testing

@testable import Collector

@Suite("Replay parsing")
struct ReplayParsingTests {
    func records(_ text: String) -> [(line: Int, fields: [String], problem: String?)] {
        var reader = ReplayCSVReader(Array(text.utf8))
        var fields: [ReplayCSVReader.Field] = []
        var problem: String?
        var result: [(Int, [String], String?)] = []
        while let line = reader.next(into: &fields, problem: &problem) {
            result.append((line, fields.map { reader.text($0) }, problem))
        }
        return result
    }

    @Test func csvQuotedFieldsEscapesAndLineEndings() {
        let parsed = records("\u{FEFF}a, b ,\"c,d\"\r\n\n\"say \"\"hi\"\"\",\"two\nlines\",\r\nlast,\"\"")
        #expect(parsed.map(\.line) == [1, 3, 5])
        #expect(parsed.map(\.fields) == [["a", "b", "c,d"], ["say \"hi\"", "two\nlines", ""], ["last", ""]])
        #expect(parsed.allSatisfy { $0.problem == nil })
    }

    @Test func csvMalformedQuotingIsReportedAndReadingGoesOn() {
        let parsed = records("\"ab\"cd,1\nok,2\n\"open,3\nnever closed")
        #expect(parsed.map(\.fields) == [["ab", "1"], ["ok", "2"], ["open,3\nnever closed"]])
        #expect(parsed.map(\.problem) == ["text follows a closing quote", nil, "a quoted field is not closed"])
        #expect(records("").isEmpty && records("\n\r\n  \n").isEmpty)
        #expect(records("a,").map(\.fields) == [["a", ""]])
    }

    @Test func unixTimeUnitByMagnitude() {
        #expect(ReplayTime.parse("1709303400") == Timestamp(seconds: 1_709_303_400))
        #expect(ReplayTime.parse("1709303400.25") == Timestamp(milliseconds: 1_709_303_400_250))
        #expect(ReplayTime.parse("1709303400123") == Timestamp(milliseconds: 1_709_303_400_123))
        #expect(ReplayTime.parse("1709303400123456") == Timestamp(nanoseconds: 1_709_303_400_123_456_000))
        #expect(ReplayTime.parse("1709303400123456789") == Timestamp(nanoseconds: 1_709_303_400_123_456_789))
        #expect(ReplayTime.parse("9000000000") == Timestamp(seconds: 9_000_000_000))
        #expect(ReplayTime.parse("99999999999") == nil)  // seconds past 2262 do not fit in Int64 nanoseconds
        #expect(ReplayTime.parse("100000000000") == Timestamp(milliseconds: 100_000_000_000))
        #expect(ReplayTime.parse("2024-03-01T14:30:00.123456789Z") == Timestamp(nanoseconds: 1_709_303_400_123_456_789))
        #expect(ReplayTime.parse("2024-03-01") == Timestamp(seconds: 1_709_251_200))
        for bad in ["", "-5", "12a", "1.", ".5", "99999999999999999999", "2024-03-01 14:30:00", "1e9"] {
            #expect(ReplayTime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func exchangeLocalTimesForFilesWithoutASymbolColumn() {
        #expect(ReplayTime.parseExchangeLocal("2024-03-05") == Timestamp(seconds: 1_709_596_800))
        #expect(ReplayTime.parseExchangeLocal("2024-03-05 19:55:00") == Timestamp(seconds: 1_709_686_500))
        #expect(ReplayTime.parseExchangeLocal("2024-03-05 09:30:00-05:00") == Timestamp(seconds: 1_709_649_000))
    }
}

@Suite("Replay numbers")
struct ReplayNumberTests {
    @Test func plainDecimalsReadFromBytesEqualDoubleParsing() {
        var random = SplitMix64(seed: 7)
        var cells: [String] = [
            "0", "-0", "+5", "007", "1.", ".5", "1e5", " 2.5", "9007199254740993", "0.1", "179.550003",
            "123456789012345678", "1234567890123456789", "0.00000000000000000000001", "-", "+", "1.2.3"
        ]
        for _ in 0..<2000 {
            let whole = random.next() % 1_000_000
            let decimals = random.below(12)
            let fraction = String(random.next() % 1_000_000_000_000).prefix(decimals)
            cells.append(decimals == 0 ? "\(whole)" : "\(random.below(2) == 0 ? "-" : "")\(whole).\(fraction)")
        }
        let text = cells.joined(separator: ",")
        var reader = ReplayCSVReader(Array(text.utf8))
        var fields: [ReplayCSVReader.Field] = []
        var problem: String?
        _ = reader.next(into: &fields, problem: &problem)
        #expect(fields.count == cells.count)
        var fast = 0
        for (field, cell) in zip(fields, cells) {
            guard let value = reader.plainDecimal(field) else { continue }
            fast += 1
            #expect(value.bitPattern == Double(cell)?.bitPattern, "\(cell)")
        }
        #expect(fast > 1500)
        #expect(reader.plainDecimal(fields[8]) == nil)  // 2^53 + 1 takes the slow path
    }
}
