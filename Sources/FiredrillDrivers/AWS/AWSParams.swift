import FiredrillCore

/// Parameters shared by the AWS drivers.
enum AWSParams {
    static let access: [ParamSpec] = [
        ParamSpec("region", .string, "AWS region (`--region`)"),
        ParamSpec("profile", .string, "AWS CLI profile (`--profile`)"),
        ParamSpec("endpoint-url", .url, "alternative endpoint (`--endpoint-url`)"),
    ]

    static let ec2Targets: [ParamSpec] = [
        ParamSpec("ids", .stringList, "instance ids"),
        ParamSpec("tags", .stringMap, "tag filters; every tag must match"),
    ]
}
