import Collector
import Testing

@Suite("Symbol parsing")
struct SymbolTests {
    @Test(arguments: [
        ("AAPL", "AAPL", AssetClass.equity),
        ("  aapl ", "AAPL", .equity),
        ("BRK.B", "BRK.B", .equity),
        ("brk-b", "BRK.B", .equity),
        ("^GSPC", "^GSPC", .index),
        ("^gspc", "^GSPC", .index),
        ("EURUSD=X", "EURUSD=X", .fx),
        ("eurusd=x", "EURUSD=X", .fx),
        ("BTC-USD", "BTC-USD", .crypto),
        ("BTC/USD", "BTC-USD", .crypto),
        ("eth/usdt", "ETH-USDT", .crypto),
        ("F", "F", .equity)
    ])
    func valid(_ input: String, _ normalised: String, _ assetClass: AssetClass) throws {
        let symbol = try Symbol(input)
        #expect(symbol.rawValue == normalised)
        #expect(symbol.assetClass == assetClass)
    }

    @Test(arguments: [
        ("", "empty"),
        ("   ", "empty"),
        ("AA PL", "a space"),
        ("AAPL$", "'$'"),
        ("^", "index"),
        ("EURUSD", "ticker"),  // 6 letters is fine as a ticker? no: see below
        ("EUR=X", "FX pair"),
        ("BRK.BBB", "share class"),
        ("BTC-XYZ", "share class"),
        ("BTC/XYZ", "not a currency"),
        ("A-B-C", "separators"),
        ("1ABC", "starting with a letter"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "longer than 20"),
        ("ÄPPL", "'Ä'")
    ])
    func invalid(_ input: String, _ reasonFragment: String) {
        if input == "EURUSD" {
            // Six letters is a valid equity ticker; FX needs =X.
            #expect((try? Symbol(input))?.assetClass == .equity)
            return
        }
        #expect {
            try Symbol(input)
        } throws: { error in
            guard let error = error as? SymbolError else { return false }
            return error.description.contains(reasonFragment) && error.description.contains("'\(input)'")
        }
    }

    @Test func listParsingDropsDuplicatesAndKeepsOrder() throws {
        let symbols = try Symbol.parseList("msft, AAPL,BTC/USD  aapl")
        #expect(symbols.map(\.rawValue) == ["MSFT", "AAPL", "BTC-USD"])
    }

    @Test func listParsingReportsTheBadOne() {
        #expect(throws: SymbolError.self) { try Symbol.parseList("AAPL,MS$FT") }
        #expect(throws: SymbolError.self) { try Symbol.parseList(" , ") }
    }
}
