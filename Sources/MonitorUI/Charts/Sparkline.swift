/// A one-line chart of recent values drawn with the eight block levels `▁▂▃▄▅▆▇█`,
/// for the quote board's rows.
package enum Sparkline {
    /// The block characters from lowest to highest.
    package static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Exactly `width` characters: the values (oldest first) scaled between their
    /// minimum and maximum. More values than `width` are averaged into `width`
    /// equal buckets; fewer are right-aligned after blanks. A flat series draws the
    /// middle level; NaN and infinite values are skipped; no values gives blanks.
    package static func render(_ values: [Double], width: Int) -> String {
        guard width > 0 else { return "" }
        let points = resample(values.filter(\.isFinite), to: width)
        guard let low = points.min(), let high = points.max() else {
            return String(repeating: " ", count: width)
        }
        let span = high - low
        let top = Double(levels.count - 1)
        let glyphs = points.map { value -> Character in
            guard span > 0, span.isFinite else { return levels[levels.count / 2 - 1] }
            let scaled = ((value - low) / span * top).rounded()
            return levels[scaled.isFinite ? Int(min(max(scaled, 0), top)) : 0]
        }
        return String(repeating: " ", count: width - glyphs.count) + String(glyphs)
    }

    /// The direction from the first to the last finite value: -1, 0 or +1,
    /// so the caller can colour the sparkline.
    package static func direction(of values: [Double]) -> Int {
        guard let first = values.first(where: \.isFinite), let last = values.last(where: \.isFinite) else { return 0 }
        return last > first ? 1 : last < first ? -1 : 0
    }

    /// At most `width` points: the values themselves, or bucket means when there are more.
    static func resample(_ values: [Double], to width: Int) -> [Double] {
        guard values.count > width else { return values }
        return (0..<width).map { bucket in
            let start = bucket * values.count / width
            let end = max(start + 1, (bucket + 1) * values.count / width)
            let slice = values[start..<end]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
