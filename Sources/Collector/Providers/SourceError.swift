// vocab.py removes this file: `SourceError` became `ProviderError` (one error type for the layer).
public typealias SourceError = ProviderError
