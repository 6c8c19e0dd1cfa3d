/// Alpaca's stream messages (provider-formats.md §1.6, §1.7): every frame is a JSON array of
/// objects with a type `T`. Each field is optional here; the mapping decides what is required.
enum AlpacaStreamWire {
    /// One element of a frame: the union of the fields ticktop reads.
    struct Message: Decodable {
        var T: String
        var S: String?
        var msg: String?
        var code: Int?
        var t: String?
        /// Trade price and size.
        var p: Double?
        var s: Double?
        var i: Int64?
        /// Quote sides.
        var bp: Double?
        var bs: Double?
        var ap: Double?
        var `as`: Double?
        /// Bar fields.
        var o: Double?
        var h: Double?
        var l: Double?
        var c: BarClose?
        var v: Double?
        var n: Int?
        var vw: Double?
        /// Subscription echo.
        var trades: [String]?
        var quotes: [String]?
        var bars: [String]?
    }

    /// `c` is the close price on a bar but the condition list on a trade or quote.
    enum BarClose: Decodable {
        case price(Double)
        case conditions

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let price = try? container.decode(Double.self) { self = .price(price) } else { self = .conditions }
        }

        var price: Double? {
            if case .price(let price) = self { return price }
            return nil
        }
    }
}
