import FiredrillCore
import FiredrillTestSupport
import Foundation

@testable import FiredrillDrivers

/// The real `aws` CLI pointed at a `MotoFixture`, for setting up and inspecting what the AWS drivers act on.
struct MotoAWS {
    let moto: MotoFixture

    init() throws {
        moto = try MotoFixture()
    }

    /// `endpoint-url` and `region` as driver parameters (YAML map entries).
    var access: String { "endpoint-url: \(moto.endpoint), region: \(moto.region)" }

    /// Runs `aws ARGS --endpoint-url … --output json` and returns its parsed output; throws on failure.
    @discardableResult
    func run(_ args: [String]) async throws -> JSONValue {
        let result = try await CommandRunner().run(CommandRequest(
            argv: ["aws"] + args + ["--endpoint-url", moto.endpoint, "--region", moto.region, "--output", "json"],
            environment: moto.environment, timeout: .seconds(60)))
        try result.check()
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .object([:]) : try JSONValue.parse(text)
    }

    /// State name by instance id.
    func instanceStates(_ ids: [String]) async throws -> [String: String] {
        let found = try await run(["ec2", "describe-instances", "--instance-ids"] + ids)
        var states: [String: String] = [:]
        for reservation in found["Reservations"]?.arrayValue ?? [] {
            for instance in reservation["Instances"]?.arrayValue ?? [] {
                if let id = instance["InstanceId"]?.stringValue { states[id] = instance["State"]?["Name"]?.stringValue }
            }
        }
        return states
    }

    /// Starts `count` instances tagged `team=VALUE`; returns their ids.
    func launch(count: Int, team: String) async throws -> [String] {
        let launched = try await run([
            "ec2", "run-instances", "--image-id", "ami-12345678", "--instance-type", "t3.micro", "--count", String(count),
            "--tag-specifications", "ResourceType=instance,Tags=[{Key=team,Value=\(team)}]",
        ])
        return (launched["Instances"]?.arrayValue ?? []).compactMap { $0["InstanceId"]?.stringValue }
    }
}
