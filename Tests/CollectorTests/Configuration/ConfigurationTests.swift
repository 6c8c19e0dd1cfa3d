import Testing

/// Groups every configuration suite so `swift test --filter Configuration` selects them all.
@Suite enum ConfigurationTests {}
