import Dispatch
import Foundation
import MonitorUI
import Synchronization

/// Wakes the board when the terminal has something for it, so the board never polls:
/// `.input` when standard input has keys waiting (a read source on it, suspended from the
/// moment it fires until the keys have been read, so it does not fire again for the same
/// keys) and `.resize` on SIGWINCH. Dispatch's signal source takes SIGWINCH over from curses,
/// so `CursesScreen.resized()` tells curses the new size.
final class TerminalWakeups: @unchecked Sendable {  // the dispatch sources are thread-safe; `armed` is locked
    let events: AsyncStream<BoardWake>
    private let continuation: AsyncStream<BoardWake>.Continuation
    private let input: any DispatchSourceRead
    private let resize: any DispatchSourceSignal
    /// False from the moment `input` fired and was suspended until `rearm()`.
    private let armed = Mutex(true)

    init() {
        (events, continuation) = AsyncStream.makeStream(of: BoardWake.self)
        let queue = DispatchQueue(label: "ticktop.terminal-wakeups")
        input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: queue)
        resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
        #if canImport(Darwin)
            signal(SIGWINCH, SIG_IGN)  // on Darwin a signal source only sees what sigaction does not take
        #endif
        input.setEventHandler { [weak self] in self?.keysWaiting() }
        resize.setEventHandler { [continuation] in continuation.yield(.resize) }
        input.activate()
        resize.activate()
    }

    /// Standard input is readable: wake the board once, until `rearm`.
    private func keysWaiting() {
        armed.withLock { armed in
            guard armed else { return }
            armed = false
            input.suspend()
        }
        continuation.yield(.input)
    }

    /// The keys were read: wake on the next ones.
    func rearm() {
        armed.withLock { armed in
            guard !armed else { return }
            armed = true
            input.resume()
        }
    }

    /// Stops both sources and ends `events`.
    func cancel() {
        rearm()  // a suspended source must be resumed to be cancelled
        input.cancel()
        resize.cancel()
        continuation.finish()
    }
}
