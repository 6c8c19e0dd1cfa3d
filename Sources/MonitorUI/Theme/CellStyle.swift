/// How cells of one role look: colours and attributes.
public struct CellStyle: Sendable, Hashable {
    package var foreground: ThemeColor
    package var background: ThemeColor
    package var bold: Bool
    package var dim: Bool
    package var reverse: Bool
    package var underline: Bool

    public init(
        foreground: ThemeColor = .default, background: ThemeColor = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's own colours, no attributes.
    package static let plain = CellStyle()
}
