import Foundation
import FiredrillCore

/// SIGINT and SIGTERM during a run: the first cancels the method (rollbacks still run), a second during rollbacks
/// says what is still running, a third exits and leaves the rest pending for `firedrill recover`.
final class SignalHandler: Sendable {
    let control: RunControl
    let runDirectory: String
    nonisolated(unsafe) private var sources: [DispatchSourceSignal] = []

    init(control: RunControl, runDirectory: String) {
        self.control = control
        self.runDirectory = runDirectory
    }

    func install() {
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let control = self.control
            let dir = self.runDirectory
            source.setEventHandler {
                Task {
                    switch await control.interrupt(signal: name) {
                    case .cancelledMain:
                        Console.error("\(name): cancelling the method; rolling back (again to see what is running, a third time to exit)")
                    case .reportRunning(let running):
                        Console.error("rollbacks still running: \(running.isEmpty ? "(between steps)" : running.joined(separator: ", ")); \(name) once more exits and leaves them for `firedrill recover \(dir)`")
                    case .abandon:
                        Console.error("exiting; what is left is pending: run `firedrill recover \(dir)`")
                        exit(130)
                    case .ignored:
                        break
                    }
                }
            }
            source.resume()
            sources.append(source)
        }
    }
}
