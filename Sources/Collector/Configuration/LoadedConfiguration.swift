/// A configuration and where it came from.
public struct LoadedConfiguration: Sendable, Equatable {
    public var configuration: TicktopConfiguration
    /// The file read; `nil` when there was none and the defaults were used.
    public var path: String?

    package init(configuration: TicktopConfiguration, path: String?) {
        self.configuration = configuration
        self.path = path
    }
}
