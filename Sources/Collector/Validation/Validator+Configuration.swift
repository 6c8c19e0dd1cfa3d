extension Validator {
    /// Version 1 and the enabled version 2 rules, as configured. The sequence
    /// rules of version 2 run before `time-order`, so a conflicting repeat of a
    /// bar is reported as `bar-conflict` only.
    /// - Parameter aroundTheClock: sources not tied to an exchange calendar
    ///   (the simulated market, replays): their sessions count as always open.
    package init(configuration: ValidationConfiguration, aroundTheClock: Set<SourceID> = []) {
        let versionTwo = configuration.enabledRules
        let sequence = versionTwo.filter { $0.family == .sequence }
        let others = versionTwo.filter { $0.family != .sequence }
        let versionOne = Validator.standardRules.filter { $0.family != .sequence }
        let timeOrder = Validator.standardRules.filter { $0.family == .sequence }
        self.init(
            rules: versionOne + sequence + timeOrder + others, windowSize: configuration.spikeWindow,
            maxStreams: configuration.maxStreams, levelShiftAfter: configuration.levelShiftAfter,
            aroundTheClock: aroundTheClock)
    }
}
