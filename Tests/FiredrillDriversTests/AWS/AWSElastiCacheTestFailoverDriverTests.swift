import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// moto has no ElastiCache `test-failover`, so this one runs against a stand-in `aws`.
@Suite("aws.elasticache.test-failover with a stand-in aws")
struct AWSElastiCacheTestFailoverDriverTests {
    @Test func runsTheExactArgvAndReportsTheGroupStatus() async throws {
        let aws = try StandInCLI(programs: ["aws"])
        let argv = ["aws", "elasticache", "test-failover", "--replication-group-id=sessions", "--node-group-id=0002",
                    "--region=eu-west-1", "--profile=drills", "--output", "json"]
        try aws.respond(argv, stdout: #"{"ReplicationGroup":{"ReplicationGroupId":"sessions","Status":"modifying","MultiAZ":"enabled"}}"#)
        let outcome = try await AWSElastiCacheTestFailoverDriver(environment: aws.environment).run(
            try params("{ replication-group: sessions, node-group: \"0002\", region: eu-west-1, profile: drills }"), context: CloudTestContext().context)
        #expect(try aws.calls() == [argv])
        #expect(outcome.summary == "failover of sessions node group 0002 started (modifying)")
    }

    @Test func aRefusalShowsTheAWSError() async throws {
        let aws = try StandInCLI(programs: ["aws"])
        try aws.respond(["aws", "elasticache", "test-failover", "--replication-group-id=sessions", "--node-group-id=0001", "--output", "json"],
                        stderr: "\nAn error occurred (TestFailoverNotAvailableFault) when calling the TestFailover operation: too soon\n", exit: 254)
        let error = await #expect(throws: DriverError.self) {
            try await AWSElastiCacheTestFailoverDriver(environment: aws.environment).run(
                try params("{ replication-group: sessions }"), context: CloudTestContext().context)
        }
        #expect(error?.description.contains("exited with status 254") == true)
        #expect(error?.description.contains("TestFailoverNotAvailableFault") == true)
    }
}
