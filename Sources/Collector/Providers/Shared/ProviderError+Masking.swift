extension ProviderError {
    /// This error with `secrets` masked in its message and body excerpt (a crumb or a cookie
    /// learnt after the client was made, which its redactor does not know).
    func masking(secrets: [String]) -> ProviderError {
        let redactor = Redactor(secrets: secrets)
        var masked = self
        masked.message = redactor.scrub(message)
        masked.bodyExcerpt = bodyExcerpt.map { redactor.scrub($0) }
        masked.endpoint = redactor.scrub(endpoint)
        return masked
    }
}
