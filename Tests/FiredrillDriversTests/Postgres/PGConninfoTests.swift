import FiredrillDrivers
import Testing

@Suite("PGConnection.redacted")
struct PGConninfoTests {
    @Test(arguments: [
        ("host=db port=5432 password=secret user=app", "host=db port=5432 password=*** user=app"),
        ("host=db password = 'it''s secret' user=app", "host=db password = *** user=app"),
        (#"password='a\' b' dbname=x"#, "password=*** dbname=x"),
        ("PASSWORD=x", "PASSWORD=***"),
        ("host=db user=app", "host=db user=app"),
        ("postgresql://app:secret@db:5432/orders?sslmode=require", "postgresql://app:***@db:5432/orders?sslmode=require"),
        ("postgres://app@db/orders?password=secret&sslmode=disable", "postgres://app@db/orders?password=***&sslmode=disable"),
        ("postgresql://db/orders", "postgresql://db/orders"),
    ])
    func masksPasswords(conninfo: String, expected: String) {
        #expect(PGConnection.redacted(conninfo) == expected)
    }
}
