/// The run's interruptible state: which phase it is in, the task to cancel on the first signal, whether anything
/// has been injected yet, and what is still running during rollbacks.
public actor RunControl {
    public enum Phase: String, Sendable {
        case starting, main, rollbacks, finished
    }

    public private(set) var phase: Phase = .starting
    public private(set) var interrupts = 0
    public private(set) var interruptedBy: String?
    /// Whether the run reached a phase that injects (method, disaster): a run that never did owes nothing.
    public private(set) var injected = false
    /// Where the run writes, for messages; nil until the run directory exists.
    public private(set) var runDirectory: String?
    private var mainTask: Task<Void, Never>?
    private var running: [String] = []

    public init() {}

    public func enter(_ phase: Phase) { self.phase = phase }
    public func markInjecting() { injected = true }
    public func setRunDirectory(_ path: String) { runDirectory = path }

    /// Hands over the main phase's task; cancels it at once when a signal already arrived.
    public func setMainTask(_ task: Task<Void, Never>) {
        mainTask = task
        if interruptedBy != nil { task.cancel() }
    }

    public func started(_ step: String) { running.append(step) }
    public func finished(_ step: String) { running.removeAll { $0 == step } }
    public var stillRunning: [String] { running }

    /// What a signal did: the first cancels the main phase (or, before it, the start), during rollbacks a second
    /// deliberate one reports what runs and a third gives up.
    public enum Response: Sendable, Equatable {
        case cancelledMain
        case reportRunning([String])
        case abandon
        case ignored
    }

    /// Signals a person sends on purpose escalate (Ctrl-C, Ctrl-\, kill); a hang-up or a lost output stream says
    /// only that the audience left, so it cancels once and never makes the runner give up on its rollbacks.
    public static func escalates(_ signal: String) -> Bool {
        ["SIGINT", "SIGTERM", "SIGQUIT"].contains(signal)
    }

    public func interrupt(signal name: String) -> Response {
        let deliberate = Self.escalates(name)
        if !deliberate, interruptedBy != nil { return .ignored }
        interrupts += 1
        if interruptedBy == nil { interruptedBy = name }
        switch phase {
        case .starting, .main:
            mainTask?.cancel()
            return .cancelledMain
        case .rollbacks:
            guard deliberate else { return .ignored }
            return interrupts >= 3 ? .abandon : .reportRunning(running)
        case .finished:
            return .ignored
        }
    }
}
