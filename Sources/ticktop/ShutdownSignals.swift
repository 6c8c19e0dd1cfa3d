import UnixSignals  // built as part of ServiceLifecycle, whose configuration takes these

/// The signals that end a run in order: sources stop, pending writes are flushed
/// and (on the board) the terminal is restored. SIGHUP is a closed terminal or a
/// dropped ssh session; SIGQUIT (Ctrl-\) would otherwise draw the runtime's crash
/// report over the board; SIGUSR1/2 would otherwise end the process on the spot.
enum ShutdownSignals {
    static let all: [UnixSignal] = [.sigterm, .sigint, .sighup, .sigquit, .sigusr1, .sigusr2]
}
