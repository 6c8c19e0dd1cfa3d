extension Theme {
    /// The default theme for dark backgrounds, compiled in so ticktop works without a
    /// themes folder. It must stay equal to `themes/default.toml` (a test checks).
    public static let builtInDefault = Theme(
        name: "default",
        description: "Dark background, 256 colours, degrades cleanly to 16 and 8",
        styles: [
            .text: CellStyle(foreground: .default, background: .default),
            .dim: CellStyle(foreground: .indexed(244)),
            .up: CellStyle(foreground: .indexed(34)),
            .down: CellStyle(foreground: .indexed(203)),
            .stale: CellStyle(foreground: .indexed(103)),
            .warning: CellStyle(foreground: .indexed(214)),
            .error: CellStyle(foreground: .indexed(196), bold: true),
            .header: CellStyle(foreground: .indexed(75), bold: true),
            .border: CellStyle(foreground: .indexed(240)),
            .selection: CellStyle(foreground: .indexed(231), background: .indexed(31), bold: true),
            .statusBar: CellStyle(foreground: .indexed(16), background: .indexed(38))
        ]
    )
}
