import DequeModule

extension MarketState {
    /// The current state as an immutable value.
    public func snapshot() -> MarketSnapshot {
        let now = timeSource.now()
        return MarketSnapshot(
            generation: generation,
            takenAt: now,
            staleAfter: settings.staleAfter,
            symbols: watchlist.map { symbolSnapshot($0, at: now) },
            sources: sourceOrder.compactMap { healthBook.shown($0, at: now) },
            alerts: alertBook.alerts,
            earlierAlerts: alertBook.earlier,
            recentAnomalies: Array(anomalyBook.recent),
            anomalyCount: anomalyBook.count,
            quarantinedCount: anomalyBook.quarantinedCount)
    }

    /// Snapshots as they change: the current one first, then one per generation.
    /// A slow reader skips to the newest (latest wins); the stream ends when the
    /// reader stops iterating.
    package func snapshots() -> AsyncStream<MarketSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: MarketSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = addSubscriber(continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        continuation.yield(snapshot())
        return stream
    }

    /// The generation as it changes: the current one first, then the newest after each
    /// change (a slow reader skips to the newest). Nothing is built per change, so a reader
    /// can wake on changes and take snapshots at its own pace (the board does). The stream
    /// ends when the reader stops iterating.
    public func generations() -> AsyncStream<UInt64> {
        let (stream, continuation) = AsyncStream.makeStream(of: UInt64.self, bufferingPolicy: .bufferingNewest(1))
        nextSubscriberID += 1
        let id = nextSubscriberID
        generationSubscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        continuation.yield(generation)
        return stream
    }

    func symbolSnapshot(_ symbol: Symbol, at now: Timestamp) -> SymbolSnapshot {
        let byPriority = quotesByPriority(symbol)
        let selected = selectionBook.shownSource(symbol, candidates: candidates(for: symbol, at: now))
            .flatMap { quoteBook.quote(symbol, from: $0) }
        let parts = rowParts(symbol, shown: selected, at: now)
        let previousClose = parts.previousClose
        // Summed only when the quote carries no day volume (the board takes snapshots often).
        func todayVolume() -> Double? {
            let todayStart = now.startOfUTCDay
            return barBook.minuteBars(symbol, from: selected?.source).map { bars in
                DecimalArithmetic.sum(bars.reversed().prefix(while: { $0.start >= todayStart }).map(\.volume))
            }
        }
        let freshness = freshness(of: symbol.assetClass, at: now)
        let quality: QualityFlag
        if selected == nil {
            quality = .noData
        } else if anomalyBook.isQuarantined(symbol, within: settings.quarantineWindow, at: now) {
            quality = .quarantined
        } else if let selected, freshness.isStale(age: selected.age(at: now)) {
            quality = .stale
        } else if selectionBook.disagreements[symbol] != nil {
            quality = .disagree
        } else if !freshness.expectsData {
            quality = .closed
        } else {
            quality = .clean
        }
        var snapshot = SymbolSnapshot(
            symbol: symbol,
            selected: selected,
            quotes: byPriority,
            previousClose: previousClose?.close,
            dayVolume: selected?.dayVolume ?? todayVolume().flatMap { $0 > 0 ? $0 : nil },
            recentCloses: parts.recentCloses,
            lastBar: parts.lastBar,
            quality: quality,
            anomalyCount: anomalyBook.perSymbol[symbol] ?? 0,
            staleReason: quality == .stale ? staleReason(for: symbol, at: now) : nil,
            disagreeingSources: selectionBook.disagreements[symbol]?.map(\.source) ?? [],
            failoverReason: selectionBook.failoverReasons[symbol],
            session: freshness.status,
            staleAfter: freshness.threshold)
        snapshot.previousCloseSource = previousClose
        if selected == nil, let reasons = healthBook.noDataReasons(for: symbol) {
            snapshot.noDataReason = reasons.sorted { (priority(of: $0.key), $0.key) < (priority(of: $1.key), $1.key) }
                .map(\.value).joined(separator: "; ")
        }
        return snapshot
    }

    /// The row's parts built from bars and previous closes, rebuilt only when an input moved
    /// (`SnapshotRowMemo`): a row whose symbol got no bar and no new close reuses the arrays of
    /// the last snapshot (values: the snapshots sharing them never see a change).
    func rowParts(_ symbol: Symbol, shown selected: Quote?, at now: Timestamp) -> SnapshotRowMemo {
        let barRevision = barBook.revision(of: symbol)
        let closesRevision = quoteBook.closesRevision(of: symbol)
        let session = quoteBook.previousCloseRule.session(of: symbol.assetClass, at: selected?.exchangeTime ?? now)
        if let held = rowMemos[symbol],
            held.matches(barRevision: barRevision, closesRevision: closesRevision, source: selected?.source, session: session)
        {
            return held
        }
        let minute = barBook.minuteBars(symbol, from: selected?.source)
        let parts = SnapshotRowMemo(
            barRevision: barRevision, closesRevision: closesRevision, source: selected?.source, session: session,
            recentCloses: minute.map { $0.suffix(SnapshotRowMemo.recentCloseCount).map(\.close) } ?? [],
            lastBar: minute?.last, previousClose: previousClose(of: symbol, session: session))
        rowMemos[symbol] = parts
        return parts
    }

    /// The previous close for a price of `session` (the shown price's), by `PreviousCloseRule`:
    /// whichever source is shown, the same close from the best source.
    func previousClose(of symbol: Symbol, session: CivilDate) -> PreviousClose? {
        let bars = barBook.daily[symbol] ?? [:]
        let reported = quoteBook.reportedCloses(of: symbol)
        // The sources with a daily bar or a reported close, best first (no set: usually one source).
        var sources = Array(bars.keys)
        for source in reported.keys where bars[source] == nil { sources.append(source) }
        if sources.count > 1 { sources.sort { (priority(of: $0), $0) < (priority(of: $1), $1) } }
        return quoteBook.previousCloseRule.previousClose(
            assetClass: symbol.assetClass, session: session, sources: sources, dailyBars: { bars[$0] ?? [] },
            reported: reported)
    }

    /// Hands the current snapshot to every subscriber (see `advance`).
    func publish() {
        for continuation in generationSubscribers.values { continuation.yield(generation) }
        guard !subscribers.isEmpty else { return }
        let snapshot = snapshot()
        for continuation in subscribers.values { continuation.yield(snapshot) }
    }
}
