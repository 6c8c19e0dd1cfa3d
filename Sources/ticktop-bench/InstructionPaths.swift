import Collector
import Foundation
import MonitorUI

/// `ticktop-bench count PATH`: runs one hot path once on a fixed input, for an instruction
/// counter (`Tests/Bench/instruction-gate.sh` runs it under valgrind's callgrind and counts only
/// inside the function it names in `countedFunction`). Every input is built from fixed seeds
/// and fixed times, so the same binary counts the same instructions (with
/// `SWIFT_DETERMINISTIC_HASHING=1`, which the gate sets: dictionaries are seeded per process
/// otherwise). Nothing here is timed.
enum InstructionPaths {
    /// The paths, in the gate's order.
    static let all = ["decode", "validate", "apply", "render", "write"]

    /// What each path measures (printed after a run, for the reader of the gate's output).
    static let what: [String: String] = [
        "decode": "1,000 Alpaca frames of 10 quotes and trades to stream messages",
        "validate": "those 10,000 events through validation v1 + v2",
        "apply": "those validated events into MarketState, one apply per frame",
        "render": "one 200x60 frame of the board with 200 symbols",
        "write": "10,000 minute bars into SQLite, 1,000 a transaction (the bars part of the store's write)",
    ]

    /// Runs `path` once on this thread (no other thread is started: see `InlineExecutor`);
    /// false for an unknown path.
    static func run(_ path: String) throws -> Bool {
        switch path {
        case "decode":
            let frames = StreamIngestBenchmark.makeFrames(messages: 10_000)
            precondition(countDecode(frames) == 10_000, "every message decoded")
        case "validate":
            _ = countValidate(decoded(StreamIngestBenchmark.makeFrames(messages: 10_000)))
        case "apply":
            let batches = countValidate(decoded(StreamIngestBenchmark.makeFrames(messages: 10_000)))
            InlineExecutor.block { await countApply(batches) }
        case "render":
            let view = InlineExecutor.block { await RenderBenchmark.boardView(symbols: 200) }
            precondition(countRender(view) > 0)
        case "write":
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-count-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try SQLiteStore(path: directory.appendingPathComponent("count.sqlite").path)
            let bars = try StoreBenchmark.makeBars(10_000)
            let inserted = try countWrite(bars, into: store)
            precondition(inserted == bars.count, "every bar inserted")
        default:
            return false
        }
        return true
    }

    /// The frames decoded, with their receipt times (the input of `validate` and `apply`).
    static func decoded(_ frames: [StreamIngestBenchmark.Frame]) -> [([MarketEvent], Timestamp)] {
        frames.map { frame in
            let events = StreamIngestBenchmark.decoder.decode(frame.text, source: "alpaca", receivedAt: frame.receivedAt)
                .compactMap { message in if case .event(let event) = message { event } else { nil } }
            return (events, frame.receivedAt)
        }
    }

    @inline(never)
    static func countDecode(_ frames: [StreamIngestBenchmark.Frame]) -> Int {
        var messages = 0
        for frame in frames {
            messages += StreamIngestBenchmark.decoder.decode(frame.text, source: "alpaca", receivedAt: frame.receivedAt).count
        }
        return messages
    }

    @inline(never)
    static func countValidate(_ batches: [([MarketEvent], Timestamp)]) -> [[MarketEvent]] {
        var validator = Validator(configuration: .defaults)
        var accepted: [[MarketEvent]] = []
        accepted.reserveCapacity(batches.count)
        for (events, receivedAt) in batches {
            accepted.append(validator.validate(events, origin: .live, at: receivedAt).accepted)
        }
        precondition(accepted.reduce(0) { $0 + $1.count } == 10_000, "every event accepted")
        return accepted
    }

    /// Counted inside `MarketState.apply(accepted:anomalies:health:)` (the actor's hop is not).
    static func countApply(_ batches: [[MarketEvent]]) async {
        let symbols = Set(batches.joined().map(\.symbol)).sorted()
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: "alpaca", kind: "alpaca", priority: 1)],
            timeSource: FixedClockTime(Timestamp(rfc3339: "2026-03-02T14:31:00Z")!))
        for batch in batches { await state.apply(accepted: batch) }
        let shown = await state.snapshot().symbols.count
        precondition(shown == symbols.count, "every symbol has state")
    }

    @inline(never)
    static func countRender(_ view: ViewState) -> Int {
        let (screen, rows) = ScreenRenderer().render(view, width: 200, height: 60)
        return rows &+ screen.cells.count
    }

    @inline(never)
    static func countWrite(_ bars: [Bar], into store: SQLiteStore) throws -> Int {
        var inserted = 0
        var index = 0
        while index < bars.count {
            let end = min(index + StoreBenchmark.batchSize, bars.count)
            inserted += try store.writeBarsBlocking(Array(bars[index..<end]))
            index = end
        }
        return inserted
    }
}
