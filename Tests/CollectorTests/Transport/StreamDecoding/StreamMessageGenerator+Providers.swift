/// Random messages of each provider's stream, mostly valid. Now and then a required field is
/// missing, null or of the wrong type, a symbol or time is invalid, or a key is duplicated,
/// so that errors are compared as well as values.
extension StreamMessageGenerator {
    // MARK: Alpaca (§1.6, §1.7)

    mutating func alpacaFrame() -> String {
        let count = chance(0.05) ? 0 : int(1...6)
        return space() + array((0..<count).map { _ in alpacaMessage() }) + space()
    }

    mutating func alpacaMessage() -> String {
        let symbol = symbol(["AAPL", "AMD", "SPY", "BRK.B", "brk-b", "GOOGL", "BTC/USD", "ETH/USD", " T "])
        let time = string(rfc3339())
        switch int(0...19) {
        case 0...7:
            return message(
                [("T", string("q")), ("S", symbol), ("bp", decimal()), ("ap", decimal()), ("t", time)],
                [
                    ("bs", integer(Int64(int(0...5_000)))), ("as", decimal()), ("bx", string("V")), ("ax", string("Q")),
                    ("c", conditions()), ("z", string("C"))
                ])
        case 8...11:
            return message(
                [("T", string("t")), ("S", symbol), ("p", decimal()), ("t", time)],
                [
                    ("s", chance(0.5) ? integer(Int64(int(1...10_000))) : decimal()), ("i", integer(Int64(int(0...99_999_999)))),
                    ("x", string("V")), ("c", conditions()), ("z", string("C")), ("tks", string("B"))
                ])
        case 12...14:
            return message(
                [
                    ("T", string(pick(["b", "u", "d"]))), ("S", symbol), ("o", decimal()), ("h", decimal()), ("l", decimal()),
                    ("c", decimal()), ("v", integer(Int64(int(0...50_000_000)))), ("t", time)
                ],
                [("n", integer(Int64(int(0...300_000)))), ("vw", decimal())])
        case 15:
            return message([("T", string("success")), ("msg", string(pick(["connected", "authenticated"] + Self.texts)))], [])
        case 16:
            let code = Int64(pick([400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 500]))
            return message([("T", string("error")), ("code", integer(code))], [("msg", string(pick(Self.texts)))])
        case 17:
            let lists = ["trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds", "corrections"].map {
                ($0, array((0..<int(0...3)).map { _ in string(pick(["AAPL", "*", "AMD", "ü", "BTC/USD"])) }))
            }
            return message([("T", string("subscription"))], lists)
        default:
            let type = string(pick(["s", "l", "i", "c", "x", "o", "ü", "", "Q", "qq", "success2", "😀"]))
            return message([("T", type)], [("S", symbol), ("t", time), ("p", value())])
        }
    }

    // MARK: Polygon (§4.4)

    mutating func polygonFrame() -> String {
        let count = chance(0.05) ? 0 : int(1...6)
        return space() + array((0..<count).map { _ in polygonMessage() }) + space()
    }

    mutating func polygonMessage() -> String {
        let symbol = symbol(["AAPL", "MSFT", "BRK.B", "X:BTCUSD", "X:ETHUSDT", "C:EURUSD", "I:SPX", "x:ethusdc"])
        switch int(0...11) {
        case 0...4:
            return message(
                [("ev", string("Q")), ("sym", symbol), ("bp", decimal()), ("ap", decimal()), ("t", integer(milliseconds()))],
                [
                    ("bs", integer(Int64(int(0...500)))), ("as", integer(Int64(int(0...500)))), ("bx", integer(19)),
                    ("ax", integer(11)), ("c", integer(1)), ("i", array([integer(604)])), ("q", integer(83_480_742)),
                    ("z", integer(3))
                ])
        case 5...7:
            return message(
                [("ev", string("T")), ("sym", symbol), ("p", decimal()), ("t", integer(milliseconds()))],
                [
                    ("s", integer(Int64(int(1...10_000)))), ("i", string(String(int(0...99_999_999)))), ("x", integer(4)),
                    ("z", integer(3)), ("c", array([integer(12), integer(37)])), ("q", integer(4_912_877))
                ])
        case 8...9:
            return message(
                [
                    ("ev", string("AM")), ("sym", symbol), ("o", decimal()), ("h", decimal()), ("l", decimal()),
                    ("c", decimal()), ("v", integer(Int64(int(0...1_000_000)))), ("s", integer(milliseconds()))
                ],
                [
                    ("vw", decimal()), ("av", integer(21_870_555)), ("op", decimal()), ("a", decimal()), ("z", integer(84)),
                    ("e", integer(milliseconds())), ("otc", "true")
                ])
        case 10:
            let status = pick(["connected", "auth_success", "success", "auth_failed", "max_connections", "ü"])
            return message([("ev", string("status")), ("status", string(status))], [("message", string(pick(Self.texts)))])
        default:
            return message([("ev", string(pick(["A", "LULD", "NOI", "XQ", "", "q", "statuses"])))], [("sym", symbol)])
        }
    }

    // MARK: Finnhub (§5.4)

    mutating func finnhubFrame() -> String {
        let frame: String
        switch int(0...9) {
        case 0...6:
            let trades = (0..<int(0...5)).map { _ in
                message(
                    [
                        ("s", symbol(["AAPL", "MSFT", "BINANCE:BTCUSDT", "OANDA:EUR_USD"])),
                        ("p", decimal()), ("t", integer(milliseconds()))
                    ],
                    [("v", chance(0.5) ? integer(Int64(int(0...10_000))) : decimal()), ("c", chance(0.2) ? "null" : conditions())]
                )
            }
            frame = message([("type", string("trade")), ("data", array(trades))], [])
        case 7: frame = message([("type", string("ping"))], [])
        case 8: frame = message([("type", string("error"))], [("msg", string(pick(Self.texts)))])
        default: frame = message([("type", string(pick(["news", "", "Trade", "ü"])))], [("data", value())])
        }
        return space() + frame + space()
    }

    // MARK: Pieces

    /// An object of required and optional members; optional ones are often left out or null.
    mutating func message(_ required: [(String, String)], _ optional: [(String, String)]) -> String {
        var members: [(String, String)] = []
        for (key, value) in required {
            if chance(0.004) { continue }
            members.append((key, chance(0.003) ? "null" : chance(0.003) ? wrongType(for: value) : value))
        }
        for (key, value) in optional where chance(0.75) {
            members.append((key, chance(0.05) ? "null" : chance(0.003) ? wrongType(for: value) : value))
        }
        if chance(0.01), let first = members.first { members.append((first.0, value())) }  // a duplicated key
        return object(members, extras: chance(0.5) ? int(1...3) : 0)
    }

    mutating func wrongType(for value: String) -> String {
        value.hasPrefix("\"") ? integer(7) : pick([string("7"), "true", "[]", "{}"])
    }

    mutating func conditions() -> String {
        array((0..<int(0...3)).map { _ in string(pick(["@", "R", "1", "12", "ü", "条件", "F\u{1}"] + Self.texts)) })
    }

    /// Unix milliseconds: mostly recent, now and then negative or beyond what nanoseconds hold.
    mutating func milliseconds() -> Int64 {
        if chance(0.01) { return pick([-1, 0, 9_300_000_000_000, -9_300_000_000_000]) }
        return Int64(int(1_500_000_000_000...1_900_000_000_000))
    }

    /// One of `valid`, now and then an invalid spelling, as a JSON string.
    mutating func symbol(_ valid: [String]) -> String {
        string(chance(0.01) ? pick(Self.invalidSymbols) : pick(valid))
    }

    static let invalidSymbols = [
        "", "ÄPFEL", "株", "😀", "TOOLONGSYMBOL1234567890", "A B", "AAPL\u{0}", "-", "^^", "X:BTC", "BINANCE:DOGE", "OANDA:_"
    ]
}
