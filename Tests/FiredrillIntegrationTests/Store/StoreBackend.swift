import FiredrillDrivers
import FiredrillTestSupport
import Foundation
@testable import FiredrillStore

/// A back end the conformance suite runs against: a fresh SQLite file in a temporary folder, or a fresh database on a
/// real PostgreSQL server (the fixture).
enum StoreBackend: String, CaseIterable, Sendable {
    case sqlite, postgresql
}

/// Hands out fresh, empty stores of one back end, each at its own location, and reopens them.
final class StoreFactory: Sendable {
    let backend: StoreBackend
    let server: PostgresFixture?
    let folder: String

    private init(backend: StoreBackend, server: PostgresFixture?, folder: String) {
        self.backend = backend
        self.server = server
        self.folder = folder
    }

    static func start(_ backend: StoreBackend) async throws -> StoreFactory {
        let folder = try TempDirectory.make(prefix: "store-\(backend.rawValue)")
        return StoreFactory(backend: backend, server: backend == .postgresql ? try await PostgresFixture.start() : nil, folder: folder)
    }

    /// A location no store exists at yet.
    func freshLocation(_ name: String) async throws -> String {
        guard let server else { return folder + "/\(name).sqlite" }
        return try await Self.createDatabase(name, on: server)
    }

    /// Creates database `name` on `server`; returns its `postgresql://` URI.
    static func createDatabase(_ name: String, on server: PostgresFixture) async throws -> String {
        let admin = try await PGConnection.connect(server.conninfo)
        _ = try await admin.query("CREATE DATABASE \(name)")
        await admin.close()
        return server.uri.replacingOccurrences(of: "/\(server.database)?", with: "/\(name)?")
    }

    /// Opens the store at `location`, migrated to `schema`.
    func open(_ location: String, schema: Int = StoreSchema.currentVersion) async throws -> any RunStore {
        switch backend {
        case .sqlite: try await SQLiteRunStore.open(path: location, schema: schema)
        case .postgresql: try await PostgresRunStore.open(dsn: location, timeout: .seconds(10), schema: schema)
        }
    }

    func stop() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
