import FiredrillCore
import FiredrillStore
import Foundation

/// What `firedrill run` does with the plan's `notify:` list: announces the run before anything is injected
/// (refusing when an `announce: required` target cannot be told), tells of a guard breach in the background as it
/// happens, and of the ending, an abort and a failed rollback once rollbacks are over. Every delivery is journaled.
struct RunNotifyHook {
    let notifier: RunNotifier
    let plan: Plan
    let runBy: String
    let announcement: [RunNotifier.Delivery]

    /// Announces the run to the plan's `notify:` list and the configuration file's; nil when neither notifies
    /// anyone. Exits 3 when a required announcement failed, or a secret a URL needs cannot be read.
    static func announce(_ plan: Plan, config: RunConfig?) async throws -> RunNotifyHook? {
        let fromConfig = config?.notify ?? []
        guard !plan.notify.isEmpty || !fromConfig.isEmpty else { return nil }
        var targets: [RunNotifier.Target] = []
        do {
            if !plan.notify.isEmpty {
                let resolver = try Resolver.forPlan(plan, readSecrets: true)
                targets += RunNotifier.targets(plan) { resolver.substitute($0, maskSecrets: false) }
            }
            if let config, !fromConfig.isEmpty {
                let resolver = try Resolver.forPlan(config.secretCarrier, readSecrets: true)
                targets += RunNotifier.targets(fromConfig, origin: "config") { resolver.substitute($0, maskSecrets: false) }
            }
        } catch {
            Console.error("\(error.description)")
            throw ExitStatus.failed
        }
        let notifier = RunNotifier(targets: targets)
        let runBy = RunSession.initiator()
        let deliveries = await notifier.deliver(RunNotification(event: "started", plan: plan, runBy: runBy, runDirectory: nil))
        var refuse = false
        for delivery in deliveries where !delivery.delivered {
            Console.error("could not announce the run to \(delivery.target.label) after \(delivery.attempts) attempt(s): \(delivery.error ?? "")")
            refuse = refuse || delivery.target.announceRequired
        }
        if refuse {
            Console.error("refusing to start: the announcement is required (`announce: required`) and was not delivered; nothing was injected")
            throw ExitStatus.failed
        }
        return RunNotifyHook(notifier: notifier, plan: plan, runBy: runBy, announcement: deliveries)
    }

    /// Journals the announcement, and every delivery from now on.
    func attach(_ recorder: RunRecorder) async {
        for delivery in announcement { await recorder.note(delivery.journalType, delivery.journalData) }
        await notifier.setJournal { delivery in await recorder.note(delivery.journalType, delivery.journalData) }
    }

    /// An observer that forwards everything to `inner` and sends `guard-breached` as it happens.
    func observer(wrapping inner: (any RunObserver)?, control: RunControl) -> any RunObserver {
        NotifyingObserver(inner: inner, notifier: notifier, plan: plan, runBy: runBy, control: control)
    }

    /// After the run (rollbacks done): `aborted`, `rollback-failed` and `ended`, then waits for background
    /// deliveries. Bounded by the notifier's timeout and attempts.
    func runEnded(_ summary: RunSummary, objectives: [ObjectiveRecord]) async {
        let dir = URL(fileURLWithPath: summary.runDirectory).standardizedFileURL.path
        var notifications: [RunNotification] = []
        // An abort is told as it happens (`NotifyingObserver`); here only when that did not happen.
        await Task.yield()
        if summary.ending == .aborted, await !notifier.sentInBackground("aborted") {
            notifications.append(RunNotification(event: "aborted", plan: plan, runBy: runBy, runDirectory: dir,
                                                 ending: summary.ending.rawValue, reason: summary.reason))
        }
        if summary.rollback == .rollbackFailed {
            notifications.append(RunNotification(event: "rollback-failed", plan: plan, runBy: runBy, runDirectory: dir,
                                                 ending: summary.ending.rawValue, reason: summary.reason, detail: summary.rollback.rawValue))
        }
        notifications.append(RunNotification(event: "ended", plan: plan, runBy: runBy, runDirectory: dir, ending: summary.ending.rawValue,
                                             reason: summary.reason, objectives: objectives))
        // All at once: a dead receiver costs one timeout-and-retries, not one per event.
        let notifier = notifier
        let ended = await withTaskGroup(of: [RunNotifier.Delivery].self) { group in
            for notification in notifications { group.addTask { await notifier.deliver(notification) } }
            var all: [RunNotifier.Delivery] = []
            for await deliveries in group { all += deliveries }
            return all
        }
        for delivery in ended + (await notifier.drain()) where !delivery.delivered {
            Console.error("could not notify \(delivery.target.label) of \(delivery.event): \(delivery.error ?? "")")
        }
    }
}

/// Forwards run events to the console and, the moment the cause is journaled, sends `guard-breached` (a guard
/// breached) and `aborted` (a guard breached, or `limits.duration` ran out) in the background, so the abort and its
/// rollbacks are never held up by a webhook.
struct NotifyingObserver: RunObserver {
    let inner: (any RunObserver)?
    let notifier: RunNotifier
    let plan: Plan
    let runBy: String
    let control: RunControl

    func observe(_ event: RunEvent) {
        inner?.observe(event)
        guard case .journaled(let e) = event else { return }
        var notifications: [(event: String, reason: String?, detail: String?)] = []
        if e.is(.guardBreached) {
            let message = e.data["message"]?.stringValue
            let detail = "guard \(e.step ?? "?")" + (message.map { ": \($0)" } ?? "")
            notifications = [("guard-breached", nil, detail), ("aborted", "guard \(e.step ?? "?") breached", detail)]
        } else if e.is(.limitExceeded), e.data["phase"] == nil {
            notifications = [("aborted", e.data["limit"]?.stringValue ?? "a limit was exceeded", nil)]
        }
        guard !notifications.isEmpty else { return }
        let (notifier, plan, runBy, control) = (notifier, plan, runBy, control)
        Task {
            let directory = await control.runDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            for n in notifications {
                await notifier.startBackground(RunNotification(event: n.event, plan: plan, runBy: runBy, runDirectory: directory,
                                                               ending: n.event == "aborted" ? "aborted" : nil, reason: n.reason, detail: n.detail))
            }
        }
    }
}
