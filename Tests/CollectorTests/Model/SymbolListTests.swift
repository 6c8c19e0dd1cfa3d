import Collector
import Testing

/// `--symbols` lists: as strict as a configuration watchlist.
@Suite("Symbol list")
struct SymbolListTests {
    @Test func commaSeparatedSymbolsInOrder() throws {
        #expect(try SymbolList.parse(" msft, BTC/USD ,brk-b").map(\.rawValue) == ["MSFT", "BTC-USD", "BRK.B"])
    }

    @Test(arguments: [
        ("AA PL", "element 1 of 1: 'AA PL' is not a valid symbol: it contains a space"),
        ("AAPL MSFT", "separate symbols with commas"),
        ("AAPL,aapl", "AAPL is listed twice (as 'AAPL' and 'aapl')"),
        ("BRK.B,BRK-B", "BRK.B is listed twice (as 'BRK.B' and 'BRK-B')"),
        ("AAPL,AAPL", "AAPL is listed twice ('AAPL')"),
        ("AAPL,,MSFT", "element 2 of 3 is empty"),
        (",AAPL", "element 1 of 2 is empty"),
        ("  ", "it names no symbol"),
        ("AAPL,M$FT", "element 2 of 2: 'M$FT' is not a valid symbol")
    ])
    func refusesWithTheElement(_ text: String, _ message: String) {
        #expect {
            try SymbolList.parse(text)
        } throws: { error in
            (error as? SymbolListError)?.description.contains(message) == true
        }
    }
}
