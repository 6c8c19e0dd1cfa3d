/// The values of one Polygon event's keys, before `ev` says how to read them (`s` is a
/// trade's size but an aggregate's start). Packed keys: `JSONKey`.
struct PolygonStreamFields: StreamMessageFields {
    var ev, sym, p, s, t, i, bp, bs, ap, `as`, o, h, l, c, v, vw, status, message: JSONValue?

    mutating func keep(_ value: JSONValue, key: UnsafeRawBufferPointer) {
        switch JSONKey.pack(key) {
        case 0x0200_0000_0000_7665: JSONKey.keepFirst(&ev, value)
        case 0x0300_0000_006D_7973: JSONKey.keepFirst(&sym, value)
        case 0x0100_0000_0000_0070: JSONKey.keepFirst(&p, value)
        case 0x0100_0000_0000_0073: JSONKey.keepFirst(&s, value)
        case 0x0100_0000_0000_0074: JSONKey.keepFirst(&t, value)
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
        case 0x0200_0000_0000_7776: JSONKey.keepFirst(&vw, value)
        case 0x0600_7375_7461_7473: JSONKey.keepFirst(&status, value)
        case 0x0765_6761_7373_656D: JSONKey.keepFirst(&message, value)
        default: break
        }
    }
}
