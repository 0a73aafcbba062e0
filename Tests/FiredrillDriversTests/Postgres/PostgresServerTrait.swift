import FiredrillTestSupport
import Testing

/// Starts one real PostgreSQL server for a whole suite and stops it afterwards; tests reach it through
/// `SharedPostgres.server`. A missing PostgreSQL installation fails the suite.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        try await SharedPostgres.$server.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// One real PostgreSQL server for the suite.
    static var postgresServer: Self { Self() }
}

enum SharedPostgres {
    @TaskLocal static var server: PostgresFixture?

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no PostgreSQL server: add the .postgresServer trait to the suite" }
    }

    static func current() throws -> PostgresFixture {
        guard let server else { throw Missing() }
        return server
    }
}
