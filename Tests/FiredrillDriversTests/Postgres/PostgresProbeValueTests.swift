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
        return ProbeSpec(name: "check", call: DriverCall(key: "postgres", params: node, location: node.location),
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
}
