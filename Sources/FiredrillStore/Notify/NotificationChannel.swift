import FiredrillCore
import FiredrillReport
import Foundation

/// How one kind of `notify:` target wants a notification: a generic webhook gets a JSON document, Slack a message.
public protocol NotificationChannel: Sendable {
    func body(_ notification: RunNotification) -> Data
}

/// A generic webhook: `{"schema": "firedrill.notification/v1", "event": …, "plan": …, …}`.
public struct WebhookChannel: NotificationChannel {
    public static let schema = "firedrill.notification/v1"
    public init() {}

    public func body(_ n: RunNotification) -> Data {
        var fields: [String: JSONValue] = [
            "schema": .string(Self.schema), "event": .string(n.event), "plan": .string(n.plan), "title": .string(n.title),
            "environment": .string(n.environment), "run-by": .string(n.runBy), "time": .string(n.time),
            "run-directory": n.runDirectory.map { .string($0) } ?? .null,
        ]
        if let ending = n.ending { fields["ending"] = .string(ending) }
        if let reason = n.reason { fields["reason"] = .string(reason) }
        if let detail = n.detail { fields["detail"] = .string(detail) }
        if !n.objectives.isEmpty {
            fields["objectives"] = .array(n.objectives.map { o in
                .object(["name": .string(o.name), "target-seconds": o.targetSeconds.map { .number($0) } ?? .null,
                         "achieved-seconds": o.achievedSeconds.map { .number($0) } ?? .null, "verdict": .string(o.verdict)])
            })
        }
        return Data(JSONValue.object(fields).canonicalJSON().utf8)
    }
}

/// A Slack incoming webhook: `{"text": …}` that reads well in a channel.
public struct SlackChannel: NotificationChannel {
    public init() {}

    public func body(_ n: RunNotification) -> Data {
        Data(JSONValue.object(["text": .string(Self.text(n))]).canonicalJSON().utf8)
    }

    static func text(_ n: RunNotification) -> String {
        let headline: String
        switch n.event {
        case "started": headline = ":rotating_light: Drill starting: *\(n.plan)* in *\(n.environment)*, run by \(n.runBy)"
        case "guard-breached": headline = ":warning: Guard breached in *\(n.plan)* (\(n.environment)): rolling back"
        case "aborted": headline = ":octagonal_sign: *\(n.plan)* aborted in \(n.environment)"
        case "rollback-failed": headline = ":sos: Rollback FAILED for *\(n.plan)* in \(n.environment): run `firedrill recover`"
        default: headline = ":white_check_mark: *\(n.plan)* ended in \(n.environment): *\((n.ending ?? "unknown").uppercased())*"
        }
        var lines = [headline, n.title]
        if let reason = n.reason { lines.append(reason) }
        if let detail = n.detail { lines.append(detail) }
        for o in n.objectives where o.targetSeconds != nil || o.achievedSeconds != nil {
            lines.append("\(o.name): \(o.achievedSeconds.map(ReportText.seconds) ?? "not measured") against \(o.targetSeconds.map(ReportText.seconds) ?? "no objective") — \(o.verdict)")
        }
        if n.event != "started" { lines.append("Run by \(n.runBy)") }
        if let dir = n.runDirectory { lines.append("Report: \(dir)/report.html") }
        return lines.joined(separator: "\n")
    }
}
