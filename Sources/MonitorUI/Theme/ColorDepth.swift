/// How many colours the terminal can show; theme colours are degraded to fit.
public enum ColorDepth: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// No colours at all: only attributes (bold, dim, reverse, underline).
    case none = 0
    /// The 8 ANSI colours.
    case eight = 8
    /// The 8 ANSI colours and their bright variants.
    case sixteen = 16
    /// The xterm 256-colour palette.
    case full256 = 256

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .none: "no colour"
        case .eight: "8 colours"
        case .sixteen: "16 colours"
        case .full256: "256 colours"
        }
    }

    /// The depth for a terminal reporting `colors` (curses `COLORS`, 0 without colour support).
    ///
    /// A non-empty `NO_COLOR` turns colour off (no-color.org). `TICKTOP_COLORS` set to `none`,
    /// `8`, `16` or `256` lowers the depth; it never raises it above what the terminal reports.
    /// Direct-colour terminals (`COLORS` above 256) number colours above 7 as packed RGB, so
    /// only the 8 ANSI colours are used there.
    package static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let terminal: ColorDepth =
            switch colors {
            case ..<8: .none
            case 8..<16: .eight
            case 16..<256: .sixteen
            case 256: .full256
            default: .eight
            }
        guard let override = environment["TICKTOP_COLORS"].flatMap(Self.init(setting:)) else { return terminal }
        return min(override, terminal)
    }

    /// Parses a `TICKTOP_COLORS` value: `none` (or `0`), `8`, `16` or `256`.
    public init?(setting: String) {
        switch setting.lowercased() {
        case "none", "0": self = .none
        case "8": self = .eight
        case "16": self = .sixteen
        case "256": self = .full256
        default: return nil
        }
    }
}
