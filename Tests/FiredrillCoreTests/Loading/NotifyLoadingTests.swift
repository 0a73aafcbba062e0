import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `notify:` in a plan: what validate accepts, and mistakes reported at their line and column.
struct NotifyLoadingTests {
    static func load(_ notify: String) -> LoadResult {
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: notify-check
        title: notify
        environment: test
        secrets:
          slack: { env: SLACK_URL }
        method:
          - command: [true]
        notify:
        \(notify)
        """
        return PlanLoader.load(data: Data(text.utf8), path: "plan.yaml", catalog: TestCatalog.builtin)
    }

    @Test func webhooksAndSlackWithEventsAndAnnounceLoad() throws {
        let result = Self.load("""
          - webhook: https://hooks.example.com/drills
            events: [started, ended]
          - slack: "${secret.slack}"
            announce: required
        """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.headline))")
        let notify = try #require(result.plan?.notify)
        #expect(notify.count == 2)
        #expect(notify[0].kind == .webhook && notify[0].events == ["started", "ended"] && !notify[0].announceRequired)
        #expect(notify[1].kind == .slack && notify[1].url == "${secret.slack}" && notify[1].announceRequired)
        #expect(notify[1].events == Set(NotifyTarget.events))
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let result = Self.load("""
          - webhook: https://a.example.com
            slack: https://b.example.com
          - webhook: ftp://example.com/x
          - slack: https://hooks.slack.com/x
            events: [started, finished]
            announce: always
          - channel: "#drills"
        """)
        let headlines = result.diagnostics.map(\.headline)
        #expect(result.plan == nil)
        #expect(headlines.contains { $0.hasPrefix("plan.yaml:11:5:") && $0.contains("exactly one of `webhook` and `slack`") }, "\(headlines)")
        #expect(headlines.contains { $0.hasPrefix("plan.yaml:13:14:") && $0.contains("must be an http(s) URL") }, "\(headlines)")
        #expect(headlines.contains { $0.hasPrefix("plan.yaml:15:23:") && $0.contains("unknown notify event `finished`") }, "\(headlines)")
        #expect(headlines.contains { $0.contains("`notify.announce`") && $0.contains("always") }, "\(headlines)")
        #expect(headlines.contains { $0.contains("channel") }, "\(headlines)")
    }
}
