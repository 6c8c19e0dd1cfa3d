import CollectorTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// Services a test runs, in a `ServiceGroup` as the app runs them. Each service reports when it
/// starts and when it returns (the event stream of swift-service-lifecycle's `MockService`), and
/// `stop()` shuts the group down gracefully (the last service first, as the app does) and waits
/// until every service has returned. A rig belongs to the test that made it: the suite's
/// `.stopsItsRigs` trait stops it when the test ends, passed, failed or thrown, so nothing a
/// test started outlives it.
final class ServiceRig: Sendable {
    enum Event: Sendable, Hashable {
        case started(String)
        case finished(String)
    }

    private let group: ServiceGroup
    private let running: Task<Void, Never>
    private let log: EventLog

    /// Starts `services` (name and service), in order.
    init(_ services: [(name: String, service: any Service)]) {
        let log = EventLog()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { name, service in
                    // A service that returns on its own (a stream that gave up) leaves the others running.
                    .init(service: Reporting(name: name, service: service, log: log), successTerminationBehavior: .ignore)
                },
                logger: .quiet()))
        self.group = group
        self.log = log
        running = Task { try? await group.run() }
        if let scope = RigScope.current {
            scope.add(self)
        } else {
            Issue.record("a ServiceRig runs only in a test with the .stopsItsRigs trait, which stops it when the test ends")
        }
    }

    /// What the services reported so far, in order.
    var events: [Event] { log.events }

    /// Waits until a service reports `event`.
    func waitFor(_ event: Event) async {
        await ManualClock.wait { self.log.events.contains(event) }
    }

    /// Shuts the services down gracefully, the last first, and waits until all have returned.
    func stop() async {
        await group.triggerGracefulShutdown()
        await running.value
    }

    private final class EventLog: Sendable {
        private let recorded = Mutex<[Event]>([])
        var events: [Event] { recorded.withLock { $0 } }
        func append(_ event: Event) { recorded.withLock { $0.append(event) } }
    }

    /// A service that reports its start and its return.
    private struct Reporting: Service {
        let name: String
        let service: any Service
        let log: EventLog

        func run() async throws {
            log.append(.started(name))
            defer { log.append(.finished(name)) }
            try await service.run()
        }
    }
}

/// The rigs one test started (see `ServiceRig`).
final class RigScope: Sendable {
    @TaskLocal static var current: RigScope?

    private let rigs = Mutex<[ServiceRig]>([])

    func add(_ rig: ServiceRig) { rigs.withLock { $0.append(rig) } }

    /// Stops every rig, the newest first.
    func stopAll() async {
        for rig in rigs.withLock({ $0 }).reversed() { await rig.stop() }
    }
}

/// Stops every `ServiceRig` a test started when the test ends (see `ServiceRig`).
struct StopsItsRigs: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let scope = RigScope()
        try await RigScope.$current.withValue(scope) {
            do {
                try await function()
            } catch {
                await scope.stopAll()
                throw error
            }
            await scope.stopAll()
        }
    }
}

extension SuiteTrait where Self == StopsItsRigs {
    /// Stops the `ServiceRig`s each test of the suite starts when that test ends.
    static var stopsItsRigs: Self { StopsItsRigs() }
}

extension TestTrait where Self == StopsItsRigs {
    /// Stops the `ServiceRig`s the test starts when it ends.
    static var stopsItsRigs: Self { StopsItsRigs() }
}
