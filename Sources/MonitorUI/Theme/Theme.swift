/// A named set of styles, one per cell role. Every role resolves: roles a theme leaves
/// out take the `text` role's style (and `text` itself defaults to `CellStyle.plain`).
public struct Theme: Sendable, Hashable {
    public var name: String
    public var description: String
    private var styles: [CellRole: CellStyle]

    /// A theme from the styles it names; missing roles fall back to the `text` style.
    public init(name: String, description: String = "", styles: [CellRole: CellStyle]) {
        self.name = name
        self.description = description
        let text = styles[.text] ?? .plain
        self.styles = Dictionary(uniqueKeysWithValues: CellRole.allCases.map { ($0, styles[$0] ?? text) })
    }

    /// The style for cells of `role`.
    package func style(for role: CellRole) -> CellStyle {
        styles[role] ?? .plain
    }
}
