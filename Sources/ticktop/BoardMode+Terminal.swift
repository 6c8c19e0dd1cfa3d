import ArgumentParser
import CursesTerminal
import MonitorUI

extension BoardMode {
    /// Refuses a terminal the board cannot draw on (not a terminal, no or unknown `TERM`,
    /// `TERM=dumb`) with the reason and a hint to use `--once`, before the database is touched.
    static func checkTerminal(environment: [String: String]) throws {
        do {
            try TerminalCheck.check(environment: environment)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }
}
