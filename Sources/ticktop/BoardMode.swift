import ArgumentParser
import Collector
import CursesTerminal
import Foundation
import MonitorUI
import ServiceLifecycle
import Synchronization

/// `ticktop` with no mode flag: the live full-screen board. The collector runs
/// in a service group beside the UI loop; the loop pulls a snapshot at its own
/// frame rate, renders it and copies it to the terminal. `q` or Ctrl-C quits,
/// shutting the collector down in order (pending writes are flushed).
struct BoardMode {
    let setup: LaunchSetup
    /// Frames per second of the redraw loop.
    var frameInterval: Duration = .milliseconds(200)

    func run() async throws {
        let screen: CursesScreen
        do {
            screen = try CursesScreen()
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        defer { screen.close() }
        let runtime = setup.runtime
        let group = ServiceGroup(
            configuration: .init(
                services: runtime.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: setup.logger))
        let stopped = StopFlag()
        let renderer = LiveBoardRenderer()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { stopped.set() }
                try await group.run()
            }
            loop: while !stopped.isSet {
                while let key = screen.nextKey() {
                    if key == .character("q") || key == .character("Q") { break loop }
                }
                let snapshot = await runtime.state.snapshot()
                let size = screen.size
                screen.draw(renderer.render(snapshot, width: size.columns, height: size.rows))
                try? await setup.clock.sleep(for: frameInterval)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Set once when the collector's service group has returned (e.g. after Ctrl-C).
final class StopFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
