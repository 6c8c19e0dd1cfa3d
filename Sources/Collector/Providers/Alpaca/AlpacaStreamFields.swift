/// The values of one Alpaca message's keys, before its type `T` says how to read them
/// (`c` is a list of conditions in a trade but the close in a bar). Packed keys: `JSONKey`.
struct AlpacaStreamFields: StreamMessageFields {
    var T, S, t, p, s, i, bp, bs, ap, `as`, o, h, l, c, v, n, vw, msg, code: JSONValue?
    var trades, quotes, bars, updatedBars, dailyBars, statuses: JSONValue?

    mutating func keep(_ value: JSONValue, key: UnsafeRawBufferPointer) {
        switch JSONKey.pack(key) {
        case 0x0100_0000_0000_0054: JSONKey.keepFirst(&T, value)
        case 0x0100_0000_0000_0053: JSONKey.keepFirst(&S, value)
        case 0x0100_0000_0000_0074: JSONKey.keepFirst(&t, value)
        case 0x0100_0000_0000_0070: JSONKey.keepFirst(&p, value)
        case 0x0100_0000_0000_0073: JSONKey.keepFirst(&s, value)
        case 0x0100_0000_0000_0069: JSONKey.keepFirst(&i, value)
        case 0x0200_0000_0000_7062: JSONKey.keepFirst(&bp, value)
        case 0x0200_0000_0000_7362: JSONKey.keepFirst(&bs, value)
        case 0x0200_0000_0000_7061: JSONKey.keepFirst(&ap, value)
        case 0x0200_0000_0000_7361: JSONKey.keepFirst(&`as`, value)
        case 0x0100_0000_0000_006F: JSONKey.keepFirst(&o, value)
        case 0x0100_0000_0000_0068: JSONKey.keepFirst(&h, value)
        case 0x0100_0000_0000_006C: JSONKey.keepFirst(&l, value)
        case 0x0100_0000_0000_0063: JSONKey.keepFirst(&c, value)
        case 0x0100_0000_0000_0076: JSONKey.keepFirst(&v, value)
        case 0x0100_0000_0000_006E: JSONKey.keepFirst(&n, value)
        case 0x0200_0000_0000_7776: JSONKey.keepFirst(&vw, value)
        case 0x0300_0000_0067_736D: JSONKey.keepFirst(&msg, value)
        case 0x0400_0000_6564_6F63: JSONKey.keepFirst(&code, value)
        case 0x0600_7365_6461_7274: JSONKey.keepFirst(&trades, value)
        case 0x0600_7365_746F_7571: JSONKey.keepFirst(&quotes, value)
        case 0x0400_0000_7372_6162: JSONKey.keepFirst(&bars, value)
        case 0x0B64_6574_6164_7075 where JSONKey.equals(key, "updatedBars"): JSONKey.keepFirst(&updatedBars, value)
        case 0x0961_4279_6C69_6164 where JSONKey.equals(key, "dailyBars"): JSONKey.keepFirst(&dailyBars, value)
        case 0x0865_7375_7461_7473 where JSONKey.equals(key, "statuses"): JSONKey.keepFirst(&statuses, value)
        default: break
        }
    }
}
