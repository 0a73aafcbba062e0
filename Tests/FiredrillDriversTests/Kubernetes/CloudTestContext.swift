import FiredrillCore
import FiredrillTestSupport
import Foundation

/// A `DriverContext` for the cloud driver tests that remembers what the driver journaled: undo intents (with
/// how many stand-in calls had been made when each was journaled), `record` events and `didUndo` notes.
final class CloudTestContext: Sendable {
    struct Intent: Sendable {
        var action: UndoAction
        /// Stand-in calls logged when the undo was journaled: proves it came before the effect.
        var callsBefore: Int
        var at: ContinuousClock.Instant
    }

    private actor Log {
        var intents: [Intent] = []
        var records: [(String, JSONValue)] = []
        var undone: [String] = []
        func add(_ intent: Intent) -> Int {
            intents.append(intent)
            return intents.count
        }
        func add(_ type: String, _ data: JSONValue) { records.append((type, data)) }
        func done(_ note: String) { undone.append(note) }
    }

    private let log = Log()
    let standIn: StandInCLI?
    let secrets: [String]
    let timeout: Duration
    let maxTargets: Int
    /// Runs inside `willApply`, before it returns: a test looks at the world there to prove the effect has not
    /// happened yet.
    let onWillApply: @Sendable (UndoAction) async -> Void

    init(standIn: StandInCLI? = nil, secrets: [String] = [], timeout: Duration = .seconds(30), maxTargets: Int = 10,
         onWillApply: @escaping @Sendable (UndoAction) async -> Void = { _ in }) {
        self.onWillApply = onWillApply
        self.standIn = standIn
        self.secrets = secrets
        self.timeout = timeout
        self.maxTargets = maxTargets
    }

    var context: DriverContext {
        let log = log
        let standIn = standIn
        let onWillApply = onWillApply
        return DriverContext(
            name: "test-step", timeout: timeout, maxTargets: maxTargets, secrets: secrets,
            willApply: { action in
                let before = (try? standIn?.calls().count) ?? 0
                let id = await log.add(Intent(action: action, callsBefore: before ?? 0, at: .now))
                await onWillApply(action)
                return UndoToken(id: id)
            },
            didUndo: { _, note in await log.done(note) },
            record: { type, data in await log.add(type, data) }
        )
    }

    var intents: [Intent] { get async { await log.intents } }
    var undone: [String] { get async { await log.undone } }
    func records(_ type: String) async -> [JSONValue] {
        await log.records.filter { $0.0 == type }.map(\.1)
    }
}

/// Driver parameters written as YAML, e.g. `{ namespace: shop, selector: app=api }`.
func params(_ yaml: String) throws -> PlanNode {
    let (node, _, diagnostics) = YAMLReader(path: "test.yaml").read(Data(yaml.utf8))
    guard let node else { throw CloudTestError("bad YAML in test: \(diagnostics)") }
    return node
}

struct CloudTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A JSON text for a stand-in to print.
func json(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}
