import Collector
import Foundation
import Logging
import MonitorUI
import Prometheus
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `ticktop collect`: runs the collector's services with no screen until a signal, then drains.
///
/// The first of `ShutdownSignals` starts the drain: the services shut down in reverse start order
/// (collectors stop, the pipeline drains, the writer flushes what is pending); `/healthz` answers
/// 503 `draining` meanwhile and the endpoint stops last. A second signal during the drain exits at
/// once with a message. The exit status says whether every collected row was stored.
struct CollectMode {
    let setup: LaunchSetup
    let listen: ListenAddress?
    let registry: PrometheusCollectorRegistry

    func run() async -> Int32 {
        let runtime = setup.runtime
        let logger = setup.logger
        guard !runtime.sources.isEmpty else {
            let states = await runtime.snapshot().sources.map { "\($0.source): \($0.state.rawValue) (\($0.detail ?? "-"))" }
            LaunchSetup.fail("no configured source can run: \(states.joined(separator: "; "))")
            return OnceVerdict.exitRuntimeFailure
        }
        let draining = DrainFlag()
        var endpoint: MetricsEndpoint?
        if let listen {
            do {
                endpoint = try await MetricsEndpoint.start(
                    on: listen, registry: registry,
                    health: {
                        CollectorHealth(await runtime.snapshot(), draining: draining.isRaised, fleet: runtime.fleet?.standing)
                    },
                    logger: logger)
            } catch {
                LaunchSetup.fail("\(error)")
                return OnceVerdict.exitRuntimeFailure
            }
        }
        // The signals are handled here, not by the group, so that a second one can end the drain.
        let group = ServiceGroup(configuration: .init(services: runtime.services, logger: logger))
        let signals = await UnixSignalsSequence(trapping: ShutdownSignals.all)
        let watcher = Task {
            var first = true
            for await signal in signals {
                if first {
                    first = false
                    draining.raise()
                    logger.notice("\(signal) received: draining (collection stops, pending writes are flushed)")
                    await group.triggerGracefulShutdown()
                } else {
                    let waiting = runtime.writer.current.rowsWaiting
                    LaunchSetup.fail(
                        "\(signal) during the drain: exiting at once; pending writes are not flushed"
                            + (waiting > 0 ? " (\(waiting) rows were waiting)" : ""))
                    exit(OnceVerdict.exitRuntimeFailure)
                }
            }
        }
        logger.info(
            "collecting",
            metadata: [
                "sources": "\(runtime.sources.map(\.id.rawValue).joined(separator: ","))",
                "listen": "\(endpoint.map { $0.address.description } ?? "off")",
                "fleet": "\(runtime.fleet.map { "member \($0.member.id)" } ?? "off")"
            ])
        var code = OnceVerdict.exitClean
        do {
            try await group.run()
        } catch {
            LaunchSetup.fail("the collector stopped: \(error)")
            code = OnceVerdict.exitRuntimeFailure
        }
        watcher.cancel()
        let writes = runtime.writer.current
        if let unstored = StoreWriteText.unstored(writes) {
            LaunchSetup.fail(unstored)
            code = OnceVerdict.exitRuntimeFailure
        }
        if let problem = runtime.fleet?.standing.leaveProblem {
            LaunchSetup.fail(problem)
            code = OnceVerdict.exitRuntimeFailure
        }
        logger.notice("drained: \(writes.rowsWritten) rows written in this run")
        await endpoint?.stop()
        return code
    }
}

/// Set once the drain starts; read by `/healthz`.
private final class DrainFlag: Sendable {
    private let raised = Atomic(false)
    var isRaised: Bool { raised.load(ordering: .relaxed) }
    func raise() { raised.store(true, ordering: .relaxed) }
}
