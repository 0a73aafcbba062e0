import FiredrillCore
import Foundation
import Synchronization

/// The runner's terminal as the place an operator answers `manual` steps: the prompt goes to stderr, and a line typed
/// on stdin (`yes`, `y`, `no`, `n`, optionally followed by a comment) is read without blocking the run.
final class TerminalOperator: OperatorTerminal {
    let operatorName: String
    private let pending = Mutex<[UInt8]>([])

    init(operatorName: String) {
        self.operatorName = operatorName
    }

    func ask(step: String, prompt: String, who: String?, timeout: Duration) {
        StandardStreams.err("""

        ┌ operator step \(step)\(who.map { " — for \($0)" } ?? "")
        │ \(prompt)
        └ type `yes` or `no` (optionally followed by a comment) and Enter; \(DurationSyntax.format(timeout)) to answer

        """)
    }

    func poll() -> (approved: Bool, comment: String?)? {
        pending.withLock { buffer -> (approved: Bool, comment: String?)? in
            var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            var chunk = [UInt8](repeating: 0, count: 1024)
            // Only what is already typed is read: the run never blocks on the terminal.
            while Glibc.poll(&fds, 1, 0) > 0, fds.revents & Int16(POLLIN) != 0 {
                let n = read(STDIN_FILENO, &chunk, chunk.count)
                if n <= 0 { break }
                buffer.append(contentsOf: chunk[0..<n])
                if buffer.count > 64 * 1024 { buffer.removeFirst(buffer.count - 64 * 1024) }
            }
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buffer.removeSubrange(...newline)
                let words = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard let first = words.first?.lowercased() else { continue }
                let comment = words.count > 1 ? words[1] : nil
                switch first {
                case "y", "yes": return (true, comment)
                case "n", "no": return (false, comment)
                default: StandardStreams.err("firedrill: answer `yes` or `no` (then an optional comment)\n")
                }
            }
            return nil
        }
    }
}
