/// The run's interruptible state: which phase it is in, the task to cancel on a first Ctrl-C, and what is
/// still running during rollbacks.
public actor RunControl {
    public enum Phase: String, Sendable {
        case starting, main, rollbacks, finished
    }

    public private(set) var phase: Phase = .starting
    public private(set) var interrupts = 0
    public private(set) var interruptedBy: String?
    private var mainTask: Task<Void, Never>?
    private var running: [String] = []

    public init() {}

    public func enter(_ phase: Phase) { self.phase = phase }
    public func setMainTask(_ task: Task<Void, Never>) { mainTask = task }
    public func started(_ step: String) { running.append(step) }
    public func finished(_ step: String) { running.removeAll { $0 == step } }
    public var stillRunning: [String] { running }

    /// What a signal did: 1 cancels the main phase, 2 during rollbacks reports, 3 gives up.
    public enum Response: Sendable {
        case cancelledMain
        case reportRunning([String])
        case abandon
        case ignored
    }

    public func interrupt(signal name: String) -> Response {
        interrupts += 1
        if interruptedBy == nil { interruptedBy = name }
        switch phase {
        case .starting, .main:
            mainTask?.cancel()
            return .cancelledMain
        case .rollbacks:
            return interrupts >= 3 ? .abandon : .reportRunning(running)
        case .finished:
            return .ignored
        }
    }
}
