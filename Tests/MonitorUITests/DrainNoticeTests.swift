import Collector
import MonitorUI
import Testing

/// The line the board prints after its screen closes while the shutdown waits for requests
/// already sent, and none when nothing is on the wire.
@Suite struct DrainNoticeTests {
    @Test func nothingOnTheWireSaysNothing() {
        #expect(DrainNotice.line(for: .init()) == nil)
    }

    @Test func namesWhatItFinishesAndHowLongItMayTake() {
        #expect(DrainNotice.line(for: .init(history: 1)) == "finishing 1 history request already sent (at most 5 s)...")
        #expect(DrainNotice.line(for: .init(quotes: 2)) == "finishing 2 quote requests already sent (at most 5 s)...")
        #expect(
            DrainNotice.line(for: .init(history: 2, quotes: 1))
                == "finishing 2 history requests and 1 quote request already sent (at most 5 s)...")
    }
}
