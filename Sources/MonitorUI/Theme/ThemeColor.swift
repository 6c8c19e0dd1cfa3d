/// A colour in a theme: the terminal's own, an ANSI colour, an xterm-256 index or RGB.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's default foreground or background.
    case `default`
    /// One of the 16 ANSI colours (0-7 normal, 8-15 bright), written by name in theme files.
    case ansi(UInt8)
    /// An xterm 256-colour palette index, written as a number in theme files.
    case indexed(UInt8)
    /// A true colour, written `"#rrggbb"` in theme files.
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The ANSI colour names in palette order; `bright-` names are 8-15.
    package static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white"
    ]

    /// This colour as the terminal can show it at `depth`: RGB becomes the nearest xterm-256
    /// colour, then the nearest of 16, then its normal ANSI colour (bright-black, a grey,
    /// becomes white, the light grey of 8-colour terminals). `nil` at `.none`.
    package func degraded(to depth: ColorDepth) -> ThemeColor? {
        switch (self, depth) {
        case (_, .none):
            return nil
        case (.default, _):
            return self
        case (.rgb(let red, let green, let blue), _):
            return ThemeColor.indexed(XtermPalette.nearest(to: (red, green, blue), in: 16...255)).degraded(to: depth)
        case (.indexed(let index), .full256):
            return .indexed(index)
        case (.indexed(let index), _):
            let ansi = index < 16 ? index : XtermPalette.nearest(to: XtermPalette.rgb(of: index), in: 0...15)
            return ThemeColor.ansi(ansi).degraded(to: depth)
        case (.ansi(let index), .eight):
            return .ansi(index == 8 ? 7 : index % 8)
        case (.ansi, _):
            return self
        }
    }

    /// The terminal palette number (ANSI or indexed); `nil` for `.default` and `.rgb`.
    package var paletteIndex: Int? {
        switch self {
        case .ansi(let index), .indexed(let index): Int(index)
        case .default, .rgb: nil
        }
    }
}

extension ThemeColor: CustomStringConvertible {
    /// The colour as written in a theme file.
    public var description: String {
        switch self {
        case .default: "default"
        case .ansi(let index): Self.ansiNames[Int(index) % 16]
        case .indexed(let index): "\(index)"
        case .rgb(let red, let green, let blue): "#" + [red, green, blue].map(Self.hex).joined()
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte / 16)], digits[Int(byte % 16)]])
    }
}
