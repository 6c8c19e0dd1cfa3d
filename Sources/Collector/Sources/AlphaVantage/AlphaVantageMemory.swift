/// What this source learnt about the key: `outputsize=full` is premium for a function,
/// so later requests go straight to `compact` instead of spending a request on the refusal.
actor AlphaVantageMemory {
    private var fullIsPremium: Set<String> = []

    func isFullPremium(_ function: String) -> Bool { fullIsPremium.contains(function) }
    func markFullPremium(_ function: String) { fullIsPremium.insert(function) }
}
