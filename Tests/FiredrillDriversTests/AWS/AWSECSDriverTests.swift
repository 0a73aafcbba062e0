import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

extension MotoBackedTests {
    @Suite("ECS drivers: the real aws CLI against moto_server")
    struct AWSECSDriverTests {
        /// A cluster `shop` with task definition revisions api:1 and api:2 and a service `api` on api:2 with 3 tasks.
        func makeService(_ aws: MotoAWS) async throws {
            try await aws.run(["ecs", "create-cluster", "--cluster-name", "shop"])
            for image in ["nginx:1", "nginx:2"] {
                try await aws.run(["ecs", "register-task-definition", "--family", "api",
                                   "--container-definitions", #"[{"name":"api","image":"\#(image)","memory":128}]"#])
            }
            try await aws.run(["ecs", "create-service", "--cluster", "shop", "--service-name", "api", "--task-definition", "api:2", "--desired-count", "3"])
        }

        func service(_ aws: MotoAWS) async throws -> (count: Int?, definition: String?) {
            let found = try await aws.run(["ecs", "describe-services", "--cluster", "shop", "--services", "api"])
            return (found["services"]?[0]?["desiredCount"]?.intValue, found["services"]?[0]?["taskDefinition"]?.stringValue)
        }

        @Test func desiredCountChangeJournalsTheOldCountFirstAndTheUndoRestoresIt() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await makeService(aws)
            let countAtJournal = Mutex<Int?>(nil)
            let recorder = CloudTestContext(onWillApply: { _ in
                let count = try? await self.service(aws).count
                countAtJournal.withLock { $0 = count }
            })

            let outcome = try await AWSECSUpdateServiceDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), cluster: shop, service: api, desired-count: 0 }"), context: recorder.context)

            #expect(countAtJournal.withLock { $0 } == 3)
            #expect(try await service(aws).count == 0)
            #expect(outcome.output["previous-desired-count"] == 3)
            let intent = try #require(await recorder.intents.first)
            #expect(intent.action.key == "aws.ecs.restore-service")
            #expect(intent.action.params["desired-count"] == 3)
            #expect(intent.action.params["task-definition"] == nil, "the step did not change the task definition")

            let how = try await AWSECSRestoreServiceUndo(environment: aws.moto.environment).undo(intent.action.params, context: recorder.context)
            #expect(how == "restored api in shop to desired count 3")
            #expect(try await service(aws).count == 3)
        }

        /// A value that reached the driver at run time (from `${env.…}`) and would make the aws CLI read a local file
        /// is refused before the CLI runs; the validator refuses the same value written in a plan.
        @Test func aFileParameterIsRefusedBeforeTheCLIRuns() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await makeService(aws)
            for value in ["file:///etc/hostname", "FileB:///etc/hostname"] {
                let error = await #expect(throws: DriverError.self) {
                    try await AWSECSUpdateServiceDriver(environment: aws.moto.environment).run(
                        try params("{ \(aws.access), cluster: \"\(value)\", service: api, desired-count: 0 }"), context: CloudTestContext().context)
                }
                #expect(error?.description.contains("which makes the aws CLI read a local file; refusing") == true, "\(String(describing: error))")
            }
            #expect(try await service(aws).count == 3, "nothing was changed")
            let plan = PlanLoader.load(data: Data("""
                apiVersion: firedrill/v1
                kind: Experiment
                name: file-parameter
                title: t
                environment: staging
                method:
                  - aws.ecs.update-service: { cluster: "file:///etc/hostname", service: api, desired-count: 0 }
                """.utf8), path: "p.yaml", catalog: TestCatalog.builtin)
            #expect(plan.errors.map(\.message) == ["`aws.ecs.update-service.cluster` starts with `file://`: the aws CLI would read a local file and send its contents"])
        }

        @Test func previousTaskDefinitionDeploysRevisionMinusOneAndTheUndoPutsTheCurrentBack() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await makeService(aws)
            let recorder = CloudTestContext()

            let outcome = try await AWSECSUpdateServiceDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), cluster: shop, service: api, previous-task-definition: true }"), context: recorder.context)

            #expect(try await service(aws).definition?.hasSuffix("task-definition/api:1") == true)
            #expect(outcome.summary.contains("task definition → arn:aws:ecs:us-east-1:123456789012:task-definition/api:1"))
            let intent = try #require(await recorder.intents.first)
            #expect(intent.action.params["task-definition"]?.stringValue?.hasSuffix("task-definition/api:2") == true)
            _ = try await AWSECSRestoreServiceUndo(environment: aws.moto.environment).undo(intent.action.params, context: recorder.context)
            #expect(try await service(aws).definition?.hasSuffix("task-definition/api:2") == true)
        }

        @Test func anUnknownServiceFailsBeforeAnythingIsJournaled() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await aws.run(["ecs", "create-cluster", "--cluster-name", "shop"])
            let recorder = CloudTestContext()
            let error = await #expect(throws: DriverError.self) {
                try await AWSECSUpdateServiceDriver(environment: aws.moto.environment).run(
                    try params("{ \(aws.access), cluster: shop, service: nope, desired-count: 1 }"), context: recorder.context)
            }
            #expect(error?.description.hasPrefix("aws.ecs.update-service: ") == true)
            #expect(await recorder.intents.isEmpty)
        }

        @Test func stopTaskStopsThePickedRunningTasksWithTheReason() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            try await makeService(aws)
            try await aws.run(["ecs", "run-task", "--cluster", "shop", "--task-definition", "api:2", "--count", "3", "--launch-type", "FARGATE"])
            let recorder = CloudTestContext()

            let outcome = try await AWSECSStopTaskDriver(environment: aws.moto.environment).run(
                try params("{ \(aws.access), cluster: shop, count: 2, mode: oldest, reason: \"drill: lose two tasks\" }"), context: recorder.context)

            let stopped = (outcome.output["targets"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(stopped.count == 2)
            let running = try await aws.run(["ecs", "list-tasks", "--cluster", "shop", "--desired-status", "RUNNING"])
            let left = (running["taskArns"]?.arrayValue ?? []).compactMap(\.stringValue)
            #expect(left.count == 1)
            #expect(Set(left).isDisjoint(with: stopped))
            let described = try await aws.run(["ecs", "describe-tasks", "--cluster", "shop", "--tasks", stopped[0]])
            #expect(described["tasks"]?[0]?["stoppedReason"] == "drill: lose two tasks")
            #expect(await recorder.records("targets.resolved").first?["matched"] == 3)
        }
    }
}
