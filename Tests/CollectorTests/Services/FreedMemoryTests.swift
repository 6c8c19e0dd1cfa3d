import Collector
import Testing

@Suite("Freed memory")
struct FreedMemoryTests {
    /// The board calls it once the start-up backfill is written: with glibc it finds `malloc_trim`.
    @Test func glibcGivesFreedMemoryBack() {
        #if os(Linux)
        #expect(FreedMemory.giveBack())
        #else
        #expect(FreedMemory.giveBack() == false)
        #endif
    }

    /// The board caps malloc's arenas before it starts: with glibc `mallopt` takes the cap.
    @Test func glibcTakesTheArenaCap() {
        #if os(Linux)
        #expect(FreedMemory.limitArenas(to: 2))
        #else
        #expect(FreedMemory.limitArenas(to: 2) == false)
        #endif
    }
}
