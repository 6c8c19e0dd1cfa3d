/// The parts of a symbol's snapshot row built from its bars and previous closes (the sparkline's
/// closes, the last bar, the previous close), kept between snapshots and rebuilt only when an
/// input moved: the symbol's bars (`BarBook.revision(of:)`), its reported closes
/// (`QuoteBook.closesRevision(of:)`), the shown source or the session of the shown price. The
/// board takes four snapshots a second; most symbols' bars change once a minute. Sources'
/// priorities never change once set (a source seen later is added after the rest), so the order
/// `previousClose` tries them in is no input. A class: looking one up for every row of every
/// snapshot then copies a reference, not the arrays and strings it holds.
final class SnapshotRowMemo: Sendable {
    let barRevision: UInt64
    let closesRevision: UInt64
    /// The shown source the minute bars were taken from (nil: none shown).
    let source: SourceID?
    /// The session of the shown price (of the snapshot's time without one).
    let session: CivilDate
    let recentCloses: [Double]
    let lastBar: Bar?
    let previousClose: PreviousClose?

    init(
        barRevision: UInt64, closesRevision: UInt64, source: SourceID?, session: CivilDate, recentCloses: [Double],
        lastBar: Bar?, previousClose: PreviousClose?
    ) {
        self.barRevision = barRevision
        self.closesRevision = closesRevision
        self.source = source
        self.session = session
        self.recentCloses = recentCloses
        self.lastBar = lastBar
        self.previousClose = previousClose
    }

    /// Minute closes a row carries for its sparkline, oldest first.
    static let recentCloseCount = 60

    /// Whether the parts were built from these inputs.
    func matches(barRevision: UInt64, closesRevision: UInt64, source: SourceID?, session: CivilDate) -> Bool {
        self.barRevision == barRevision && self.closesRevision == closesRevision && self.source == source
            && self.session == session
    }
}
