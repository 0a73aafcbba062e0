import Foundation

/// Finds the PostgreSQL server programs and the OS user to run them as.
enum PostgresBinaries {
    /// The directory holding `initdb` and `pg_ctl`: `$FIREDRILL_PG_BINDIR`, else `pg_config --bindir`, else the
    /// newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else the directory of `initdb` on `PATH`.
    static func locate() throws -> URL {
        var searched: [String] = []
        var candidates: [String] = []
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["FIREDRILL_PG_BINDIR"], !configured.isEmpty {
            candidates.append(configured)
        }
        if let pgConfig = findOnPath("pg_config", environment: environment),
           let result = try? FixtureCommand([pgConfig, "--bindir"], timeout: .seconds(20)).run(), result.status == 0 {
            candidates.append(result.output)
        } else {
            searched.append("pg_config --bindir (pg_config not found)")
        }
        let debianRoot = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debianRoot)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        candidates += versions.map { "\(debianRoot)/\($0)/bin" }
        if versions.isEmpty { searched.append("\(debianRoot)/*/bin") }
        if let initdb = findOnPath("initdb", environment: environment) {
            candidates.append((initdb as NSString).deletingLastPathComponent)
        } else {
            searched.append("PATH")
        }
        for directory in candidates {
            let required = ["initdb", "pg_ctl", "postgres"]
            if required.allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }) {
                return URL(fileURLWithPath: directory)
            }
            searched.append(directory)
        }
        throw PostgresFixtureError.binariesNotFound(searched: searched)
    }

    /// `runuser -u postgres --` when running as root (PostgreSQL refuses to run as root), else nothing.
    static func commandPrefix() throws -> [String] {
        guard geteuid() == 0 else { return [] }
        guard getpwnam("postgres") != nil else { throw PostgresFixtureError.noPostgresUser }
        let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let runuser else {
            throw PostgresFixtureError.system(what: "find runuser", detail: "needed to run PostgreSQL as 'postgres' while running as root")
        }
        return [runuser, "-u", "postgres", "--"]
    }

    /// Makes `path` owned by the `postgres` user when running as root; nothing otherwise.
    static func giveToServerUser(_ path: String, runningAsRoot: Bool) throws {
        guard runningAsRoot else { return }
        guard let entry = getpwnam("postgres") else { throw PostgresFixtureError.noPostgresUser }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw PostgresFixtureError.system(what: "chown postgres \(path)", detail: String(cString: strerror(errno)))
        }
    }

    private static func findOnPath(_ program: String, environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
