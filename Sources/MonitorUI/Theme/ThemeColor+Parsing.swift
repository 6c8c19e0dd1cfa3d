extension ThemeColor {
    /// Every name a theme file may use for a colour: `default` and the ANSI names.
    package static let names = ["default"] + ansiNames

    /// `"default"` or an ANSI colour name such as `"bright-red"`.
    package init?(name: String) {
        if name == "default" {
            self = .default
        } else if let index = Self.ansiNames.firstIndex(of: name) {
            self = .ansi(UInt8(index))
        } else {
            return nil
        }
    }

    /// An xterm-256 palette index, 0...255.
    package init?(index: Int) {
        guard let index = UInt8(exactly: index) else { return nil }
        self = .indexed(index)
    }

    /// `"#rrggbb"` with six hex digits (either case).
    package init?(hex: String) {
        let digits = hex.dropFirst()
        guard hex.hasPrefix("#"), digits.count == 6, digits.allSatisfy(\.isHexDigit),
            let value = UInt32(digits, radix: 16)
        else { return nil }
        self = .rgb(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }
}
