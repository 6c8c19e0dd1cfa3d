/// Finding, creating and forgetting streams: the bound on the validator's memory.
extension Validator {
    /// How many streams have state now (at most `maxStreams`).
    package var trackedStreamCount: Int { streams.count }
    /// How many symbols have a day range now (at most `maxStreams`).
    package var trackedSymbolCount: Int { symbolIndex.count }

    /// The state of one stream, if it is kept.
    package func history(
        of symbol: Symbol, source: SourceID, kind: MarketEvent.Kind, timeframe: Timeframe? = nil,
        origin: IngestOrigin = .live, path: DeliveryPath = .stream
    ) -> StreamHistory? {
        let key = StreamKey(symbol: symbol, source: source, kind: kind, timeframe: timeframe, origin: origin, path: path)
        return streamIndex[key].map { streams[$0].history }
    }

    /// The day range kept for `symbol`, if any.
    package func dayRange(of symbol: Symbol) -> DayRange? {
        symbolIndex[symbol].map { dayRanges[$0] }
    }

    /// The slot of the stream `key`, created (after making room) if new. `hint`: the slot of
    /// the value of its kind that followed the previous one last time (`Stream.successor`),
    /// taken when its key is this one, with no hashing.
    mutating func streamSlot(for key: StreamKey, hint: Int? = nil) -> Int {
        let use = nextUse()
        if let hint, hint >= 0, hint < streams.count, streams[hint].key == key {
            streams[hint].lastUse = use
            return hint
        }
        if let slot = streamIndex[key] {
            streams[slot].lastUse = use
            return slot
        }
        if streams.count >= maxStreams {
            let cutoff = streams.map(\.lastUse).sorted()[streams.count - maxStreams / 2]
            keepStreams { $0.lastUse >= cutoff }
        }
        let symbolSlot: Int
        if let existing = symbolIndex[key.symbol] {
            symbolSlot = existing
        } else {
            symbolSlot = dayRanges.count
            dayRanges.append(DayRange())
            symbolIndex[key.symbol] = symbolSlot
        }
        streams.append(
            Stream(
                key: key, history: StreamHistory(windowCapacity: windowSize), symbolSlot: symbolSlot, lastUse: use,
                aroundTheClock: aroundTheClock.contains(key.source)))
        streamIndex[key] = streams.count - 1
        return streams.count - 1
    }

    private mutating func nextUse() -> UInt64 {
        useCounter &+= 1
        return useCounter
    }

    /// Keeps only the streams `keep` accepts, and the day ranges of their symbols; rebuilds the indexes.
    mutating func keepStreams(_ keep: (Stream) -> Bool) {
        var kept = streams.filter(keep)
        guard kept.count != streams.count else { return }
        lastSlots = [-1, -1, -1]  // the slots move
        for index in kept.indices { kept[index].successor = -1 }
        var newSymbols: [Symbol: Int] = [:]
        var newRanges: [DayRange] = []
        streams = kept.map { stream in
            var stream = stream
            if let slot = newSymbols[stream.key.symbol] {
                stream.symbolSlot = slot
            } else {
                newSymbols[stream.key.symbol] = newRanges.count
                newRanges.append(dayRanges[stream.symbolSlot])
                stream.symbolSlot = newRanges.count - 1
            }
            return stream
        }
        symbolIndex = newSymbols
        dayRanges = newRanges
        streamIndex = Dictionary(uniqueKeysWithValues: streams.enumerated().map { ($0.element.key, $0.offset) })
    }
}
