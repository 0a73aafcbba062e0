import Testing

@testable import FiredrillDrivers

/// WAL positions as PostgreSQL prints them, and byte differences like `pg_wal_lsn_diff`.
@Suite struct PGLSNTests {
    @Test func parsesAndPrintsBothHalves() throws {
        let lsn = try #require(PGLSN("16/B374D848"))
        #expect(lsn.value == 0x16_B374_D848)
        #expect(lsn.description == "16/B374D848")
        #expect(PGLSN("0/0")?.value == 0)
        for bad in ["", "16", "16/", "/1", "G/1", "1/2/3", "123456789/0", "-1/0"] {
            #expect(PGLSN(bad) == nil, "\(bad)")
        }
    }

    @Test func bytesAcrossTheHalvesAndBothWays() throws {
        let low = try #require(PGLSN("0/FFFFFF00"))
        let high = try #require(PGLSN("1/00000100"))
        #expect(high.bytes(since: low) == 0x200)
        #expect(low.bytes(since: high) == -0x200)
        #expect(high.bytes(since: high) == 0)
        #expect(low < high)
    }
}
