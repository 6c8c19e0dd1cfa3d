import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback TCP proxy in front of a server (the scratch PostgreSQL of the tests): clients dial
/// `port` on 127.0.0.1 and reach `targetPort`. `cut()` plays the server stopping: every piped
/// connection is ended and the port refuses new ones; `restore()` listens on the same port again.
/// `freeze()` plays a server that stops answering: what clients send is held (their connections
/// stay open, and what the server sends still arrives) until `thaw()`.
/// Tests use it to take "the database" away from one process without stopping the server the
/// other tests of the run share. Plain sockets and threads: no event loop to shut down. Its threads
/// keep it alive while it listens: a test ends with `cut()`.
package final class LoopbackTCPProxy: Sendable {
    package let port: Int
    private let targetPort: Int
    private let state = Mutex(State())
    /// Set by `freeze()`: what clients send waits.
    private let frozen = Atomic(false)

    private struct State {
        var listener: Int32 = -1
        var connections: Set<Int32> = []
        var accepted = 0
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Starts listening on a free loopback port, forwarding to `targetPort` on 127.0.0.1.
    package init(targetPort: Int) throws {
        self.targetPort = targetPort
        let listener = try Self.openListener(port: 0)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        state.withLock { $0.listener = listener }
        startAccepting(listener)
    }

    /// Connections accepted so far (each one a client's connect through the proxy).
    package var accepted: Int { state.withLock { $0.accepted } }

    /// Ends every piped connection and refuses new ones (the port is closed).
    package func cut() {
        // Under the lock: a pump closes its sockets under it too, so no descriptor shut down here
        // can have been closed and reused meanwhile. Shut down, not closed: the pumps close them.
        state.withLock { state in
            if state.listener >= 0 {
                shutdown(state.listener, Int32(SHUT_RDWR))
                close(state.listener)
            }
            for socket in state.connections { shutdown(socket, Int32(SHUT_RDWR)) }
            state.listener = -1
        }
    }

    /// Holds what clients send from now on, until `thaw()`.
    package func freeze() { frozen.store(true, ordering: .sequentiallyConsistent) }

    /// Sends on what was held, and what clients send from now on.
    package func thaw() { frozen.store(false, ordering: .sequentiallyConsistent) }

    /// Listens on the same port again after `cut()`.
    package func restore() throws {
        guard state.withLock({ $0.listener }) < 0 else { return }
        let listener = try Self.openListener(port: port)
        state.withLock { $0.listener = listener }
        startAccepting(listener)
    }

    private static func openListener(port: Int) throws -> Int32 {
        #if canImport(Glibc)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 64) == 0 else {
            let code = errno
            close(socketFD)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): errno \(code)")
        }
        return socketFD
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func startAccepting(_ listener: Int32) {
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }  // cut: the listener was shut down
                guard let server = try? connectToTarget() else {
                    close(client)
                    continue
                }
                let open = state.withLock { state in
                    guard state.listener == listener else { return false }
                    state.accepted += 1
                    state.connections.formUnion([client, server])
                    return true
                }
                guard open else {
                    close(client)
                    close(server)
                    return
                }
                let pipe = Pipe(
                    client: client, server: server, frozen: { [self] in frozen.load(ordering: .sequentiallyConsistent) }
                ) { [self] in
                    state.withLock { state in
                        state.connections.subtract([client, server])
                        close(client)
                        close(server)
                    }
                }
                Thread.detachNewThread { pipe.pump(from: client, to: server) }
                Thread.detachNewThread { pipe.pump(from: server, to: client) }
            }
        }
    }

    private func connectToTarget() throws -> Int32 {
        #if canImport(Glibc)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = Self.loopback(port: targetPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socketFD)
            throw Failure(description: "cannot reach 127.0.0.1:\(targetPort)")
        }
        return socketFD
    }

    /// One client's connection and its connection to the server: when either direction ends, both
    /// sockets are shut down, and the second pump to end closes them (`closeBoth`).
    private final class Pipe: Sendable {
        let client: Int32
        let server: Int32
        /// Whether what the client sends waits now.
        let frozen: @Sendable () -> Bool
        let closeBoth: @Sendable () -> Void
        private let ended = Mutex(0)

        init(client: Int32, server: Int32, frozen: @escaping @Sendable () -> Bool, closeBoth: @escaping @Sendable () -> Void) {
            self.client = client
            self.server = server
            self.frozen = frozen
            self.closeBoth = closeBoth
        }

        func pump(from source: Int32, to destination: Int32) {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            copying: while true {
                let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                // Held, not dropped: a frozen server has not read it yet (this thread only waits).
                while source == client && frozen() { usleep(1_000) }
                var offset = 0
                while offset < count {
                    let written = buffer.withUnsafeBytes {
                        send(destination, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
                    }
                    guard written > 0 else { break copying }
                    offset += written
                }
            }
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
            let last = ended.withLock { count in
                count += 1
                return count == 2
            }
            if last { closeBoth() }
        }
    }
}
