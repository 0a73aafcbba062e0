import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

/// What the `postgres` probe observes from a real server: booleans as booleans, and the server's notices kept with
/// the result instead of printed by libpq.
@Suite("Postgres probe values", .postgresServer)
struct PostgresProbeValueTests {
    func runner() -> ProbeRunner {
        ProbeRunner(drivers: TestDrivers(probes: ["postgres": PostgresProbeDriver()]), resolver: Resolver(environment: [:])) { name, timeout in
            DriverContext(name: name, role: "steady-state", timeout: timeout)
        }
    }

    func spec(_ query: String, expect: String) throws -> ProbeSpec {
        let pg = try SharedPostgres.current()
        let node = try params("{ dsn: '\(pg.conninfo)', query: \"\(query)\" }")
        let expectNode = try params(expect)
        let (tolerance, diagnostics) = Tolerance.parse(expectNode)
        #expect(diagnostics.isEmpty)
        return ProbeSpec(name: "check", call: DriverCall(key: "postgres", params: node, location: node.location, spec: TestCatalog.builtin.spec("postgres")),
                         expect: tolerance, expectNode: expectNode, timeout: nil, location: node.location)
    }

    @Test func aBooleanColumnIsABoolean() async throws {
        let yes = await runner().once(try spec("SELECT 1 = 1", expect: "{ value: true }"))
        #expect(yes.passed, "\(yes.message)")
        #expect(yes.observed?["value"] == .bool(true))
        let no = await runner().once(try spec("SELECT NOT pg_is_in_recovery() AND false", expect: "{ value: true }"))
        #expect(!no.passed)
        #expect(no.observed?["value"] == .bool(false))
        #expect(no.message.contains("value false, expected true"), "\(no.message)")
        // Text that happens to read `t` stays text; NULL stays null.
        let text = await runner().once(try spec("SELECT 't'::text", expect: "{ value: t }"))
        #expect(text.observed?["value"] == .string("t"))
        let null = await runner().once(try spec("SELECT NULL::boolean", expect: "{ value: null }"))
        #expect(null.passed, "\(null.message)")
    }

    @Test func noticesAreKeptWithTheResultNotPrinted() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        defer { Task { await connection.close() } }
        let done = try await connection.query("DO $$ BEGIN RAISE NOTICE 'firedrill notice %', 42; RAISE WARNING 'careful'; END $$")
        #expect(done.notices == ["NOTICE: firedrill notice 42", "WARNING: careful"])
        // Taken with the result: the next statement starts with none.
        let next = try await connection.query("SELECT 1")
        #expect(next.notices.isEmpty)
        #expect(await connection.takeNotices().isEmpty)
        let typed = try await connection.typedScalar("SELECT true")
        #expect(typed.text == "t")
        #expect(typed.json == .bool(true))
    }

    @Test func theProbeSummaryCarriesTheNotices() async throws {
        let pg = try SharedPostgres.current()
        let setup = try await PGConnection.connect(pg.conninfo)
        _ = try await setup.query("""
            CREATE OR REPLACE FUNCTION firedrill_noisy_check() RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN RAISE NOTICE 'checked by firedrill'; RETURN true; END $$
            """)
        await setup.close()
        let result = await runner().once(try spec("SELECT firedrill_noisy_check()", expect: "{ value: true }"))
        #expect(result.passed, "\(result.message)")
        #expect(result.message.contains("(server said: NOTICE: checked by firedrill)"), "\(result.message)")
    }

    /// Through the binary, as a user runs it: the notice is in the journal, never printed raw by libpq
    /// (`NOTICE:  …` with two spaces, on stderr), and `value: true` passes for a boolean.
    @Test func theBinaryPrintsNoRawNotice() async throws {
        let pg = try SharedPostgres.current()
        let setup = try await PGConnection.connect(pg.conninfo)
        _ = try await setup.query("""
            CREATE OR REPLACE FUNCTION firedrill_noisy_check() RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN RAISE NOTICE 'checked by firedrill'; RETURN true; END $$
            """)
        await setup.close()
        let dir = try TempDirectory.make(prefix: "noisy-postgres")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = dir + "/noisy.yaml"
        try """
            apiVersion: firedrill/v1
            kind: Experiment
            name: noisy-postgres
            title: A check whose query raises a notice
            environment: test
            secrets:
              pg: { env: FIREDRILL_TEST_PG_DSN }
            steady-state:
              - name: noisy
                postgres: { dsn: "${secret.pg}", query: "SELECT firedrill_noisy_check()" }
                expect: { value: true }
            method:
              - wait: 100ms
            """.write(toFile: plan, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["FIREDRILL_TEST_PG_DSN"] = pg.conninfo
        let child = try ChildProcess([try FiredrillBinary.path(), "run", plan, "--report-dir", dir + "/run"], environment: environment)
        let status = try #require(await child.wait(timeout: .seconds(60)), "firedrill run did not finish within 60s")
        let output = child.readOutput()
        #expect(status == 0, "\(output)")
        #expect(!output.contains("NOTICE:  checked by firedrill"), "\(output)")
        #expect(!output.split(separator: "\n").contains { $0.hasPrefix("NOTICE") }, "\(output)")
        #expect(output.contains("(server said: NOTICE: checked by firedrill)"), "\(output)")
        let journal = try String(contentsOfFile: dir + "/run/journal.jsonl", encoding: .utf8)
        #expect(journal.contains("(server said: NOTICE: checked by firedrill)"))
    }
}
