import Collector
import Foundation
import MonitorUI

/// Backfill progress on stderr: a bar redrawn in place on a terminal, one
/// plain line per window otherwise (logs, pipes, cron).
struct ProgressDisplay: Sendable {
    let interactive: Bool
    let timeframe: Timeframe
    static let width = 30

    func show(_ progress: RangeBackfill.Progress) {
        if interactive {
            let filled = Int((progress.fraction * Double(Self.width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Self.width - filled)
            let percent = Int((progress.fraction * 100).rounded(.down))
            write("\r\(progress.symbol) \(timeframe.rawValue) [\(bar)] \(percent)%  \(counts(progress))\u{1B}[K")
        } else if progress.windowsDone > 0 {
            write(
                "\(progress.symbol) \(timeframe.rawValue) window \(progress.windowsDone)/\(progress.windowCount): \(counts(progress))\n"
            )
        }
    }

    func finish(_ progress: RangeBackfill.Progress) {
        if interactive { write("\n") }
        var summary = "\(progress.symbol): fetched \(progress.fetched), stored \(progress.stored)"
        if progress.alreadyStored > 0 { summary += " (\(progress.alreadyStored) already stored)" }
        if progress.revised > 0 { summary += ", revised \(progress.revised) (earlier versions kept)" }
        if progress.waiting > 0 {
            summary += ", \(progress.waiting) rows waiting (\(progress.writeFailure ?? "writes pending"))"
        }
        if progress.windowsAlreadyComplete > 0 {
            summary += " (\(progress.windowsAlreadyComplete) of \(progress.windowCount) windows already complete, not fetched)"
        }
        summary +=
            ", quarantined \(progress.quarantined), still missing \(progress.missing.count) of \(progress.windowCount) windows"
        print(summary)
        for gap in progress.missing {
            print("  missing \(gap.range.lowerBound.rfc3339Seconds) to \(gap.range.upperBound.rfc3339Seconds): \(gap.reason)")
        }
    }

    private func counts(_ progress: RangeBackfill.Progress) -> String {
        "fetched \(progress.fetched)  stored \(progress.stored)  quarantined \(progress.quarantined)"
            + (progress.revised == 0 ? "" : "  revised \(progress.revised)")
            + (progress.waiting == 0 ? "" : "  waiting \(progress.waiting) (\(progress.writeFailure ?? "writes pending"))")
            + (progress.missing.isEmpty ? "" : "  failed windows \(progress.missing.count)")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
