/// Reading the `[validation]` table.
extension ConfigurationParser {
    static let validationKeys = [
        "disabled", "spike_window", "spike_threshold", "spike_min_mad", "level_shift_after", "unit_error_tolerance",
        "split_tolerance", "split_min_score", "stale_quote_after", "quote_range_tolerance", "max_streams"
    ]

    func validation(_ table: ConfigTable?) throws(ConfigError) -> ValidationConfiguration {
        var validation = ValidationConfiguration.defaults
        guard let table else { return validation }
        try table.checkKeys(allowed: Self.validationKeys)
        typealias V = ValidationConfiguration
        validation.disabled = try disabledRules(table)
        validation.spikeWindow = try table.int("spike_window", in: V.spikeWindowRange) ?? validation.spikeWindow
        validation.spikeThreshold = try number(table, "spike_threshold", in: V.spikeThresholdRange) ?? validation.spikeThreshold
        validation.spikeMinimumMAD = try number(table, "spike_min_mad", in: V.spikeMinimumMADRange) ?? validation.spikeMinimumMAD
        validation.levelShiftAfter = try table.int("level_shift_after", in: V.levelShiftAfterRange) ?? validation.levelShiftAfter
        validation.unitErrorTolerance =
            try number(table, "unit_error_tolerance", in: V.unitErrorToleranceRange) ?? validation.unitErrorTolerance
        validation.splitTolerance = try number(table, "split_tolerance", in: V.splitToleranceRange) ?? validation.splitTolerance
        validation.splitMinimumScore =
            try number(table, "split_min_score", in: V.splitMinimumScoreRange) ?? validation.splitMinimumScore
        validation.staleQuoteAfter = try table.duration("stale_quote_after") ?? validation.staleQuoteAfter
        validation.quoteRangeTolerance =
            try number(table, "quote_range_tolerance", in: V.quoteRangeToleranceRange) ?? validation.quoteRangeTolerance
        validation.maxStreams = try table.int("max_streams", in: V.maxStreamsRange) ?? validation.maxStreams
        return validation
    }

    /// Rule names to switch off: version 2 names only, each once.
    private func disabledRules(_ table: ConfigTable) throws(ConfigError) -> [String] {
        guard let names = try table.stringArray("disabled") else { return [] }
        let known = ValidationConfiguration.ruleNames
        for (index, name) in names.enumerated() {
            if ValidationConfiguration.versionOneRuleNames.contains(name) {
                throw table.error(
                    "disabled", element: index,
                    "'\(name)' is a version 1 rule and is always on; rules that can be disabled: \(known.joined(separator: ", "))"
                )
            }
            guard known.contains(name) else {
                throw table.error(
                    "disabled", element: index,
                    "unknown rule '\(name)'\(KeySuggestion.hint(for: name, among: known)); rules that can be disabled: \(known.joined(separator: ", "))"
                )
            }
            if names[..<index].contains(name) {
                throw table.error("disabled", element: index, "'\(name)' is listed twice; remove one")
            }
        }
        return names
    }

    /// A finite number within `range`.
    private func number(_ table: ConfigTable, _ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = try table.double(key) else { return nil }
        guard value.isFinite, range.contains(value) else {
            throw table.error(
                key,
                "expected a number from \(range.lowerBound) to \(range.upperBound), got \(table.value(key)?.shortDescription ?? "\(value)")"
            )
        }
        return value
    }
}
