import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

extension MotoBackedTests {
    @Suite("EC2 drivers: the real aws CLI against moto_server")
    struct AWSEC2DriverTests {
        @Test func stopByTagsJournalsStartBeforeStoppingAndTheUndoStartsThemAgain() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let orders = try await aws.launch(count: 3, team: "orders")
            let others = try await aws.launch(count: 1, team: "billing")
            let statesAtJournal = Mutex<[String: String]>([:])
            let recorder = CloudTestContext(onWillApply: { _ in
                let states = (try? await aws.instanceStates(orders)) ?? [:]
                statesAtJournal.withLock { $0 = states }
            })
            let driver = AWSEC2StopInstancesDriver(environment: aws.moto.environment)

            let outcome = try await driver.run(try params("{ \(aws.access), tags: { team: orders }, mode: all }"), context: recorder.context)

            let stopped = Set((outcome.output["targets"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(stopped == Set(orders))
            #expect(statesAtJournal.withLock { $0 } == Dictionary(uniqueKeysWithValues: orders.map { ($0, "running") }),
                    "the start-instances undo must be journaled while the instances still run")
            let afterStop = try await aws.instanceStates(orders + others)
            #expect(orders.allSatisfy { afterStop[$0] == "stopped" })
            #expect(afterStop[others[0]] == "running")

            let intent = try #require(await recorder.intents.first)
            #expect(intent.action.key == "aws.ec2.start-instances")
            #expect(Set((intent.action.params["ids"]?.arrayValue ?? []).compactMap(\.stringValue)) == Set(orders))
            #expect(intent.action.params["endpoint-url"] == .string(aws.moto.endpoint))
            let how = try await AWSEC2StartInstancesUndo(environment: aws.moto.environment).undo(intent.action.params, context: recorder.context)
            #expect(how.hasPrefix("start-instances "))
            let afterUndo = try await aws.instanceStates(orders)
            #expect(orders.allSatisfy { afterUndo[$0] == "running" })
        }

        @Test func explicitIdsAreAllPickedUnlessCountedAndStoppedOnesAreLeftOut() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let ids = try await aws.launch(count: 3, team: "search")
            try await aws.run(["ec2", "stop-instances", "--instance-ids", ids[2]])
            let driver = AWSEC2StopInstancesDriver(environment: aws.moto.environment)
            let recorder = CloudTestContext()

            let outcome = try await driver.run(try params("{ \(aws.access), ids: [\(ids.joined(separator: ", "))] }"), context: recorder.context)

            #expect(Set((outcome.output["targets"]?.arrayValue ?? []).compactMap(\.stringValue)) == Set(ids.prefix(2)))
            let resolved = try #require(await recorder.records("targets.resolved").first)
            #expect(resolved["matched"] == 2)

            let counted = try await driver.run(try params("{ \(aws.access), ids: [\(ids.joined(separator: ", "))], count: 1, if-none: skip }"),
                                               context: CloudTestContext().context)
            #expect(counted.output["targets"] == [])
        }

        @Test func rebootKeepsInstancesRunning() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let ids = try await aws.launch(count: 2, team: "web")
            let outcome = try await AWSEC2RebootInstancesDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), tags: { team: web }, count: 1 }"), context: CloudTestContext().context)
            let rebooted = try #require(outcome.output["targets"]?[0]?.stringValue)
            #expect(ids.contains(rebooted))
            #expect(try await aws.instanceStates(ids).values.allSatisfy { $0 == "running" })
        }

        @Test func anUnknownInstanceFailsWithTheCommandLineExitStatusAndAWSMessage() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let error = await #expect(throws: DriverError.self) {
                try await AWSEC2StopInstancesDriver(environment: aws.moto.environment).run(
                    try params("{ \(aws.access), ids: [i-0123456789abcdef0] }"), context: CloudTestContext().context)
            }
            let message = try #require(error?.description)
            #expect(message.contains("`aws ec2 describe-instances --instance-ids i-0123456789abcdef0 --filters Name=instance-state-name,Values=running"))
            #expect(message.contains("exited with status 2") || message.contains("exited with status 254") || message.contains("exited with status 255"))
            #expect(message.contains("InvalidInstanceID.NotFound"))
        }
    }
}
