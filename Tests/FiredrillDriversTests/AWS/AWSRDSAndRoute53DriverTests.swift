import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

extension MotoBackedTests {
    @Suite("RDS and Route 53 drivers: the real aws CLI against moto_server")
    struct AWSRDSAndRoute53DriverTests {
        @Test func clusterFailoverPromotesTheOtherMember() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await aws.run(["rds", "create-db-cluster", "--db-cluster-identifier", "orders", "--engine", "aurora-postgresql",
                               "--master-username", "admin", "--master-user-password", "password123"])
            for name in ["orders-1", "orders-2"] {
                try await aws.run(["rds", "create-db-instance", "--db-instance-identifier", name, "--db-cluster-identifier", "orders",
                                   "--engine", "aurora-postgresql", "--db-instance-class", "db.r6g.large"])
            }
            func writer() async throws -> String? {
                let found = try await aws.run(["rds", "describe-db-clusters", "--db-cluster-identifier", "orders"])
                return AWSRDSFailoverDBClusterDriver.writer(found["DBClusters"]?[0])
            }
            let before = try #require(try await writer())
            let reader = before == "orders-1" ? "orders-2" : "orders-1"

            let outcome = try await AWSRDSFailoverDBClusterDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), cluster: orders, target-instance: \(reader) }"), context: CloudTestContext().context)

            #expect(try await writer() == reader)
            #expect(outcome.output["previous-writer"] == .string(before))
            #expect(outcome.output["writer"] == .string(reader))
        }

        @Test func rebootOfAnInstanceWithAndWithoutFailover() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await aws.run(["rds", "create-db-instance", "--db-instance-identifier", "billing", "--engine", "postgres",
                               "--db-instance-class", "db.t3.micro", "--allocated-storage", "20", "--master-username", "admin",
                               "--master-user-password", "password123", "--multi-az"])
            let driver = AWSRDSRebootDBInstanceDriver(environment: aws.moto.environment)
            let plain = try await driver.run(try params("{ \(aws.access), instance: billing }"), context: CloudTestContext().context)
            let failover = try await driver.run(try params("{ \(aws.access), instance: billing, force-failover: true }"), context: CloudTestContext().context)
            #expect(plain.output["force-failover"] == false)
            #expect(failover.output["force-failover"] == true)
            #expect(failover.summary.hasPrefix("rebooting billing with failover"))
        }

        func values(_ aws: MotoAWS, zone: String, name: String) async throws -> [String]? {
            let listed = try await aws.run(["route53", "list-resource-record-sets", "--hosted-zone-id", zone])
            let set = (listed["ResourceRecordSets"]?.arrayValue ?? []).first { $0["Name"]?.stringValue == name && $0["Type"] == "A" }
            return set.map { ($0["ResourceRecords"]?.arrayValue ?? []).compactMap { $0["Value"]?.stringValue } }
        }

        @Test func failoverRepointsTheRecordAndTheUndoRestoresIt() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let created = try await aws.run(["route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "firedrill-test"])
            let zone = try #require(created["HostedZone"]?["Id"]?.stringValue?.split(separator: "/").last.map(String.init))
            let batch = #"{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"api.example.com.","Type":"A","TTL":300,"ResourceRecords":[{"Value":"10.0.0.1"}]}}]}"#
            try await aws.run(["route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", batch])
            let recorder = CloudTestContext()

            let outcome = try await AWSRoute53FailoverDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), hosted-zone: \(zone), record: api.example.com, values: [10.1.0.1, 10.1.0.2], ttl: 30 }"),
                context: recorder.context)

            #expect(try await values(aws, zone: zone, name: "api.example.com.") == ["10.1.0.1", "10.1.0.2"])
            #expect(outcome.summary.hasPrefix("api.example.com. A: 10.0.0.1 → 10.1.0.1, 10.1.0.2"))
            let intent = try #require(await recorder.intents.first)
            #expect(intent.action.params["change"]?["Action"] == "UPSERT")
            #expect(intent.action.params["change"]?["ResourceRecordSet"]?["TTL"] == 300)
            let how = try await AWSRoute53RestoreRecordUndo(environment: aws.moto.environment).undo(intent.action.params, context: recorder.context)
            #expect(how == "restored api.example.com. A to 10.0.0.1")
            #expect(try await values(aws, zone: zone, name: "api.example.com.") == ["10.0.0.1"])
        }

        @Test func failoverOfAMissingRecordCreatesItAndTheUndoDeletesIt() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let created = try await aws.run(["route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "firedrill-test-2"])
            let zone = try #require(created["HostedZone"]?["Id"]?.stringValue?.split(separator: "/").last.map(String.init))
            let recorder = CloudTestContext()
            _ = try await AWSRoute53FailoverDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), hosted-zone: \(zone), record: standby.example.com., values: [10.9.0.1] }"), context: recorder.context)
            #expect(try await values(aws, zone: zone, name: "standby.example.com.") == ["10.9.0.1"])
            let intent = try #require(await recorder.intents.first)
            #expect(intent.action.description == "delete standby.example.com. A")
            _ = try await AWSRoute53RestoreRecordUndo(environment: aws.moto.environment).undo(intent.action.params, context: recorder.context)
            #expect(try await values(aws, zone: zone, name: "standby.example.com.") == nil)
        }
    }
}
