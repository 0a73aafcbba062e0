import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

@Suite("PGConnection", .postgresServer)
struct PGConnectionTests {
    @Test func connectsAndSelectsOne() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo, timeout: .seconds(5))
        let result = try await connection.query("SELECT 1 AS one")
        #expect(result.columns == ["one"])
        #expect(result.rows == [["1"]])
        #expect(result.commandTag == "SELECT 1")
        #expect(result.affectedRows == 1)
        #expect(await connection.backendPID > 0)
        #expect(try await connection.scalar("SELECT pg_backend_pid()") == String(await connection.backendPID))
        #expect(await connection.serverVersion >= 100_000)
        #expect(await connection.parameterStatus("server_version")?.isEmpty == false)
        #expect(connection.target == "127.0.0.1:\(pg.port)")
        await connection.close()
        #expect(await connection.isOpen == false)
        await #expect(throws: PGError.self) { try await connection.query("SELECT 1") }
    }

    @Test func connectsWithAURI() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.uri)
        #expect(try await connection.scalar("SELECT current_user") == pg.user)
        await connection.close()
    }

    @Test func bindsTextParameters() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        let tricky = "it's \"quoted\"; DROP TABLE x; --"
        let result = try await connection.query("SELECT $1::int + $2::int AS sum, $3::text IS NULL AS missing, $4::text AS echo",
                                                ["2", "40", nil, tricky])
        #expect(result.columns == ["sum", "missing", "echo"])
        #expect(result.rows == [["42", "t", tricky]])
        #expect(result.value("echo") == tricky)
        await connection.close()
    }

    @Test func scalarReturnsTheFirstValue() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        #expect(try await connection.scalar("SELECT count(*) FROM generate_series(1, $1::int)", ["25"]) == "25")
        #expect(try await connection.scalar("SELECT NULL::text") == nil)
        await #expect(throws: PGError.self) { try await connection.scalar("SELECT 1 WHERE false") }
        await connection.close()
    }

    @Test func commandsReportAffectedRows() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        _ = try await connection.query("CREATE TEMP TABLE beats (id int)")
        let insert = try await connection.query("INSERT INTO beats SELECT generate_series(1, 3)")
        #expect(insert.commandTag == "INSERT 0 3")
        #expect(insert.affectedRows == 3)
        #expect(try await connection.query("SELECT id FROM beats ORDER BY id").rows == [["1"], ["2"], ["3"]])
        await connection.close()
    }

    @Test func serverErrorCarriesSQLStateAndLeavesTheConnectionUsable() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        do {
            _ = try await connection.query("SELECT * FROM missing_table")
            Issue.record("query on a missing table succeeded")
        } catch let error as PGError {
            #expect(error.kind == .queryFailed)
            #expect(error.sqlstate == "42P01")
            #expect(error.severity == "ERROR")
            #expect(error.description == #"query on 127.0.0.1:\#(pg.port) failed: ERROR: relation "missing_table" does not exist (SQLSTATE 42P01)"#)
        }
        #expect(try await connection.scalar("SELECT 2") == "2")
        await connection.close()
    }

    @Test func wrongPasswordIsAClearErrorWithoutThePassword() async throws {
        let pg = try SharedPostgres.current()
        let secret = "wrong-secret-pw"
        do {
            _ = try await PGConnection.connect(pg.conninfo(password: secret), timeout: .seconds(5))
            Issue.record("connected with a wrong password")
        } catch let error as PGError {
            #expect(error.kind == .connectFailed)
            #expect(error.sqlstate == "28P01")
            #expect(error.description == #"connect to 127.0.0.1:\#(pg.port) failed: FATAL: password authentication failed for user "\#(pg.user)" (SQLSTATE 28P01)"#)
            #expect(!error.description.contains(secret))
        }
    }

    @Test func closedPortFailsFast() async throws {
        let port = try LoopbackPort.free()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await PGConnection.connect("host=127.0.0.1 port=\(port) user=x dbname=x sslmode=disable", timeout: .seconds(5))
            Issue.record("connected to a closed port")
        } catch let error as PGError {
            #expect(error.kind == .connectFailed)
            #expect(error.sqlstate == nil)
            #expect(error.description.hasPrefix("connect to 127.0.0.1:\(port) failed: Connection refused"))
        }
        #expect(clock.now - start < .seconds(1))
    }

    @Test func statementTimeoutStopsASlowQuery() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo, statementTimeout: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await connection.query("SELECT pg_sleep(10)")
            Issue.record("pg_sleep(10) finished despite the statement timeout")
        } catch let error as PGError {
            #expect(error.sqlstate == "57014")
            #expect(error.message == "canceling statement due to statement timeout")
        }
        #expect(clock.now - start < .seconds(1))
        #expect(try await connection.scalar("SELECT 3") == "3")
        await connection.close()
    }

    @Test func cancellingTheTaskStopsTheQueryPromptly() async throws {
        let pg = try SharedPostgres.current()
        let connection = try await PGConnection.connect(pg.conninfo)
        let observer = try await PGConnection.connect(pg.conninfo)
        let pid = await connection.backendPID
        let task = Task { try await connection.query("SELECT pg_sleep(10)") }

        var running = false
        for _ in 0..<100 where !running {
            running = try await observer.scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND state = 'active'",
                                                [String(pid)]) == "1"
            if !running { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(running)

        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let result = await task.result
        let elapsed = clock.now - start
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(elapsed < .seconds(5), "cancellation took \(elapsed)")
        #expect(try await connection.scalar("SELECT 4") == "4")
        await connection.close()
        await observer.close()
    }

    @Test func connectTimeoutIsBounded() async throws {
        let silent = try SilentListener()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await PGConnection.connect("host=127.0.0.1 port=\(silent.port) user=x dbname=x sslmode=disable",
                                               timeout: .milliseconds(300))
            Issue.record("connected to a listener that never answers")
        } catch let error as PGError {
            #expect(error.kind == .connectTimedOut)
            #expect(error.description == "connect to 127.0.0.1:\(silent.port) failed: timed out after 0.3 s")
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(5))
    }

    @Test func cancellingAConnectStopsIt() async throws {
        let silent = try SilentListener()
        let task = Task {
            try await PGConnection.connect("host=127.0.0.1 port=\(silent.port) user=x dbname=x sslmode=disable", timeout: .seconds(30))
        }
        try await Task.sleep(for: .milliseconds(100))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(clock.now - start < .seconds(5), "not the 30 s connect timeout")
    }

    @Test func pingTellsUpFromDown() async throws {
        let pg = try SharedPostgres.current()
        #expect(try await PGConnection.ping(pg.conninfo, timeout: .seconds(5)) == .accepting)
        // The server answered, if only to refuse the password: it is up.
        #expect(try await PGConnection.ping(pg.conninfo(password: "nope"), timeout: .seconds(5)) == .accepting)
        let closed = try LoopbackPort.free()
        guard case .noResponse = try await PGConnection.ping("host=127.0.0.1 port=\(closed) sslmode=disable", timeout: .seconds(2)) else {
            Issue.record("a closed port answered a ping")
            return
        }
        guard case .noAttempt(let error) = try await PGConnection.ping("host=127.0.0.1 bogus_option=1", timeout: .seconds(2)) else {
            Issue.record("an invalid connection string was attempted")
            return
        }
        #expect(error.kind == .invalidConninfo)
        #expect(error.message.contains("bogus_option"))
    }

    @Test func invalidConninfoNeverShowsThePassword() async throws {
        do {
            _ = try await PGConnection.connect("host=127.0.0.1 password=s3cret-value bogus=1")
            Issue.record("an invalid connection string was accepted")
        } catch let error as PGError {
            #expect(error.kind == .invalidConninfo)
            #expect(!error.description.contains("s3cret-value"))
            #expect(error.description.contains("bogus"))
        }
    }
}
