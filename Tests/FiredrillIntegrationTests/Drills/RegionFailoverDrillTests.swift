import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

/// `drills/region-failover.yaml` against a healthy stand-in: Route 53 in a real moto_server driven by the real
/// `aws` CLI, `kubectl` a stand-in, the API a local HTTP server that never goes down, the databases a real primary
/// and standby. The primary region stays up, so `recovered` never sees an outage: the drill ends INCONCLUSIVE, not
/// with an "RTO MET" of a few milliseconds. Only the plan's fixed waits (DNS TTL) and the traffic window are
/// shortened.
@Suite(.serialized) struct RegionFailoverDrillTests {
    /// Answers GET /health with a healthy JSON document, on 127.0.0.1:port, until killed.
    static let healthServer = """
        import http.server, sys
        class Health(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                body = b'{"status": "healthy", "database": "connected"}'
                self.send_response(200 if self.path == "/health" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
        """

    @Test func aHealthyStandInIsInconclusiveNotMet() async throws {
        let primary = try await PostgresFixture.start()
        defer { primary.stop() }
        let standby = try await primary.makeStandby()
        defer { standby.stop() }
        let setup = try await PGConnection.connect(primary.conninfo)
        _ = try await setup.query("CREATE TABLE predictions (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())")
        _ = try await setup.query("INSERT INTO predictions (created_at) SELECT now() - g * interval '1 second' FROM generate_series(1, 20) g")
        await setup.close()
        try await DrillHarness.waitUntil("the standby has the predictions") {
            (try? await DrillHarness.scalar(standby, "SELECT count(*) FROM predictions")) == "20"
        }

        let harness = try DrillHarness(label: "region-failover")
        let port = try LoopbackPort.free()
        let script = harness.directory + "/health.py"
        try Self.healthServer.write(toFile: script, atomically: true, encoding: .utf8)
        let api = try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["python3", script, String(port)],
                                                                       outputPath: harness.directory + "/health.out"))
        defer { kill(api.pid, SIGKILL) }
        try await DrillHarness.waitUntil("the stand-in API answers") {
            let probe = try? await DrillHarness.execute(["curl", "-sf", "--max-time", "2", "http://127.0.0.1:\(port)/health"],
                                                        outputPath: harness.directory + "/curl.out", timeout: .seconds(5))
            return probe?.status == 0
        }

        let moto = try MotoFixture()
        defer { moto.stop() }
        let aws = moto.environment.merging(["AWS_ENDPOINT_URL": moto.endpoint]) { $1 }
        let zone = try await Self.hostedZone(aws: aws, directory: harness.directory)
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let access = ["--namespace=geo-climate", "--context=standby"]
        try kubectl.respond(["kubectl", "get", "deployment/geo-climate-api", "--output=json"] + access, stdout: #"{"spec": {"replicas": 1}}"#)
        try kubectl.respond(["kubectl", "scale", "deployment/geo-climate-api", "--replicas=3"] + access, stdout: "scaled\n")
        try kubectl.respond(["kubectl", "scale", "deployment/geo-climate-api", "--replicas=1"] + access, stdout: "scaled\n")

        let shipped = try String(contentsOfFile: DrillHarness.examplePlan("region-failover.yaml"), encoding: .utf8)
        var variant = shipped
        for (from, to) in [("wait: 90s", "wait: 1s"), ("rate: 10/s, for: 1m", "rate: 10/s, for: 2s"), ("  every: 5s\n", "  every: 200ms\n")] {
            try #require(variant.contains(from), "the example plan changed: no `\(from)`")
            variant = variant.replacingOccurrences(of: from, with: to)
        }
        let plan = try harness.writePlan(variant, name: "region-failover.yaml")
        let run = try await harness.run(plan, vars: [
            "hosted-zone": zone, "api": "http://127.0.0.1:\(port)",
            "standby-db": DrillHarness.dsn(standby), "primary-db": DrillHarness.dsn(primary),
        ], password: primary.password, arguments: ["--allow-production"],
           environment: aws.merging(kubectl.environment) { $1 }, timeout: .seconds(180))

        #expect(run.status == 5, "\(run.account)")
        #expect(run.ending == "inconclusive", "\(run.account)")
        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        #expect(rto.data["verdict"] == "inconclusive", "\(rto.data)")
        #expect(rto.data["seconds"] == .null, "no RTO figure without an outage: \(rto.data)")
        #expect(run.first("drill.detected") == nil, "the stand-in never went down")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["verdict"] == "met", "\(rpo.data)")
        #expect(rpo.data["seconds"]?.doubleValue == 0, "the standby had every prediction: \(rpo.data)")
        #expect(run.verifyResults.allSatisfy { $0.data["passed"] == true }, "\(run.account)")
        #expect(run.first("step.ended", step: "point-dns-at-primary")?.data["status"] == "ok", "\(run.account)")

        // The failback is a restoration: nothing is left owed, `recover` has nothing to do, and the next run starts.
        #expect(RunDirectory.pendingUndos(in: run.events).isEmpty, "\(run.account)")
        let report = try String(contentsOfFile: run.runDirectory + "/report.md", encoding: .utf8)
        #expect(!report.contains("PENDING"))
        let recover = try await DrillHarness.execute([harness.binary, "recover", "--dry-run", run.runDirectory],
                                                     outputPath: harness.directory + "/recover.out", timeout: .seconds(60))
        #expect(recover.status == 0 && recover.output.contains("nothing to recover"), "\(recover.output)")
        let next = try await harness.run(plan, vars: [
            "hosted-zone": zone, "api": "http://127.0.0.1:\(port)",
            "standby-db": DrillHarness.dsn(standby), "primary-db": DrillHarness.dsn(primary),
        ], password: primary.password, runName: "next-run", arguments: ["--allow-production"],
           environment: aws.merging(kubectl.environment) { $1 }, timeout: .seconds(180))
        #expect(next.status == 5, "the next run must start: \(next.account)")
    }

    /// A hosted zone for example.com with api.example.com. pointing at the primary region; its id.
    static func hostedZone(aws: [String: String], directory: String) async throws -> String {
        let environment = ProcessInfo.processInfo.environment.merging(aws) { $1 }
        let created = try await DrillHarness.execute(
            ["aws", "route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "firedrill-region-test", "--output", "json"],
            environment: environment, outputPath: directory + "/zone.json", timeout: .seconds(60))
        guard created.status == 0, let json = try? JSONValue.parse(created.output),
              let id = json["HostedZone"]?["Id"]?.stringValue?.split(separator: "/").last.map(String.init) else {
            throw HarnessError("create-hosted-zone failed: \(created.output)")
        }
        let batch = #"{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com.","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"geo-climate-primary-123456.ap-south-1.elb.amazonaws.com"}]}}]}"#
        let changed = try await DrillHarness.execute(
            ["aws", "route53", "change-resource-record-sets", "--hosted-zone-id", id, "--change-batch", batch, "--output", "json"],
            environment: environment, outputPath: directory + "/record.json", timeout: .seconds(60))
        guard changed.status == 0 else { throw HarnessError("change-resource-record-sets failed: \(changed.output)") }
        return id
    }
}
