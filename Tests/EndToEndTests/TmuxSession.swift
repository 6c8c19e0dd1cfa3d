import Foundation

/// Drives a real terminal: the ticktop binary runs inside a detached tmux
/// session on a private server socket; tests type with `send` and read the
/// screen with `capture`, as a person would. Every tmux call runs off the shared
/// concurrency threads (`offPool`); the fields are fixed once started.
final class TmuxSession: @unchecked Sendable {
    let socket: String
    let session = "ticktop-e2e"

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Starts `command` in a `width`x`height` window. The command's exit status is
    /// printed as `EXITED n` when it ends, and the window stays open to read it.
    init(command: String, environment: [String: String], width: Int, height: Int) throws {
        socket = "ticktop-e2e-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let script = "env \(exports) \(command); echo EXITED $?; sleep 600"
        // The server this starts would inherit a pipe and keep it open, so no output is read here.
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", script], readOutput: false)
        panePID = Int32(
            try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
        socketPath = try tmux(["display-message", "-p", "-t", session, "#{socket_path}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The shell running in the pane. Killed outright on teardown: where SIGHUP is
    /// ignored (as under some job runners) kill-server alone would leave it waiting.
    private var panePID: Int32?
    /// The server's socket (`/tmp/tmux-UID/<socket>`), which the server leaves behind when it ends.
    private var socketPath: String?

    deinit {
        if let panePID { kill(panePID, SIGKILL) }
        _ = try? tmux(["kill-server"])
        if let socketPath { try? FileManager.default.removeItem(atPath: socketPath) }
    }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    @discardableResult
    func tmux(_ arguments: [String], readOutput: Bool = true) throws -> String {
        let process = Process()
        let command = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments
        if readOutput {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        } else {
            // Starting the server: it daemonizes and would inherit every open
            // descriptor, including the one Process watches for the child's exit,
            // so start it through a launcher that closes them (Python's subprocess does).
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments =
                [
                    "-c",
                    "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True))"
                ] + command
        }
        let output = Pipe()
        process.standardOutput = readOutput ? output : FileHandle.nullDevice
        process.standardError = readOutput ? output : FileHandle.nullDevice
        try process.run()
        let data = readOutput ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// Runs one tmux command off the shared threads.
    @discardableResult
    private func command(_ arguments: [String]) async throws -> String {
        try await offPool { [self] in try tmux(arguments) }
    }

    /// The visible screen as text.
    func capture() async throws -> String {
        try await command(["capture-pane", "-p", "-t", session])
    }

    /// Types keys: literal text, or tmux key names like `Enter`, `Escape`, `Tab`.
    func send(_ keys: String..., literal: Bool = false) async throws {
        try await command(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    func resize(width: Int, height: Int) async throws {
        try await command(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Whether the program has the terminal in its alternate screen.
    func alternateScreenOn() async throws -> Bool {
        try await command(["display-message", "-p", "-t", session, "#{alternate_on}"]).trimmingCharacters(
            in: .whitespacesAndNewlines) == "1"
    }

    /// Whether the terminal shows its cursor (the board hides it; a restored terminal shows it).
    func cursorVisible() async throws -> Bool {
        try await command(["display-message", "-p", "-t", session, "#{cursor_flag}"]).trimmingCharacters(
            in: .whitespacesAndNewlines) == "1"
    }

    /// Polls the screen until `condition` holds; fails with the last screen after `timeout`.
    /// A bounded wait for a separate process, not a timing assertion.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(20), _ condition: (String) -> Bool) async throws -> String {
        let start = ContinuousClock.now
        var screen = ""
        while ContinuousClock.now - start < timeout {
            screen = try await capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "timed out waiting for \(what); the screen was:\n\(screen)")
    }
}
