import CFiredrillSignals
import Foundation
import FiredrillCore

/// Every catchable terminating signal during a run: SIGINT, SIGTERM, SIGQUIT, SIGHUP (a closed terminal or SSH
/// session) and SIGPIPE (sent by another process; a closed stdout is noticed by the write itself). The first
/// cancels the method and rollbacks run; during rollbacks a second deliberate one (INT, TERM, QUIT) says what is
/// still running and a third exits, leaving the rest for `firedrill recover`.
///
/// The handler is C and only writes the signal number to a pipe; a thread reads the pipe and tells `RunControl`.
/// For `firedrill run` the handlers are installed by a loader constructor before the Swift runtime starts (the
/// signals wait in the pipe until this reader runs), otherwise here, before the plan is even loaded; either way no
/// signal can take the default action once a run could inject anything. Handlers (unlike ignored signals) reset to
/// the default in child processes.
final class SignalHandler: Sendable {
    static let handled: [(Int32, String)] = [
        (SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGQUIT, "SIGQUIT"), (SIGHUP, "SIGHUP"), (SIGPIPE, "SIGPIPE"),
    ]

    let control: RunControl

    init(control: RunControl) {
        self.control = control
    }

    func install() {
        let numbers = Self.handled.map(\.0)
        let early = firedrill_signals_early_pipe()
        let fd = early >= 0 ? early : numbers.withUnsafeBufferPointer { firedrill_signals_install($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else {
            Console.error("cannot install signal handlers (errno \(errno)); refusing to run without them")
            exit(ExitStatus.failed.rawValue)
        }
        let control = self.control
        // Whatever writes to stdout notices a reader that went away (`| head`): the same as a SIGPIPE.
        StandardStreams.onOutputGone { Self.deliver("SIGPIPE", to: control) }
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n == 1 {
                    let name = Self.handled.first { $0.0 == Int32(byte) }?.1 ?? "signal \(byte)"
                    Self.deliver(name, to: control)
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "firedrill-signals"
        thread.start()
    }

    static func deliver(_ name: String, to control: RunControl) {
        Task {
            let response = await control.interrupt(signal: name)
            let dir = await control.runDirectory ?? "the run directory"
            switch response {
            case .cancelledMain:
                Console.error("\(name): cancelling the run; rolling back (Ctrl-C again to see what is running, a third time to exit)")
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
}
