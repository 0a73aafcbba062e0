extension DriverCatalog {
    public static let awsAccess: [ParamSpec] = [
        ParamSpec("region", .string, "AWS region (`--region`)"),
        ParamSpec("profile", .string, "AWS CLI profile (`--profile`)"),
        ParamSpec("endpoint-url", .url, "alternative endpoint (`--endpoint-url`)"),
    ]

    public static let ec2Targets: [ParamSpec] = [
        ParamSpec("ids", .stringList, "instance ids"),
        ParamSpec("tags", .stringMap, "tag filters; every tag must match"),
    ]

    public static let aws: [DriverSpec] = [
        DriverSpec(
            "aws.ec2.stop-instances", role: .step, "Stops EC2 instances, by ids or tags.",
            timeout: "5m",
            params: awsAccess + ec2Targets + [
                ParamSpec("force", .boolean, default: "false", "`--force`"),
            ] + selection(),
            rules: [.exactlyOne(["ids", "tags"])] + selectionRules,
            undo: "start-instances on the same ids",
            program: "aws"
        ),
        DriverSpec(
            "aws.ec2.reboot-instances", role: .step, "Reboots EC2 instances, by ids or tags.",
            timeout: "5m",
            params: awsAccess + ec2Targets + selection(),
            rules: [.exactlyOne(["ids", "tags"])] + selectionRules,
            program: "aws"
        ),
        DriverSpec(
            "aws.rds.failover-db-cluster", role: .step, "Fails an Aurora/RDS cluster over to a reader.",
            timeout: "10m",
            params: awsAccess + [
                ParamSpec("cluster", .string, required: true, "DB cluster identifier"),
                ParamSpec("target-instance", .string, "the instance to promote"),
            ],
            program: "aws"
        ),
        DriverSpec(
            "aws.rds.reboot-db-instance", role: .step, "Reboots an RDS instance, optionally forcing a Multi-AZ failover.",
            timeout: "10m",
            params: awsAccess + [
                ParamSpec("instance", .string, required: true, "DB instance identifier"),
                ParamSpec("force-failover", .boolean, default: "false", "`--force-failover`"),
            ],
            program: "aws"
        ),
        DriverSpec(
            "aws.ecs.stop-task", role: .step, "Stops running ECS tasks of a cluster or service.",
            timeout: "2m",
            params: awsAccess + [
                ParamSpec("cluster", .string, required: true, "ECS cluster"),
                ParamSpec("service", .string, "only tasks of this service"),
                ParamSpec("reason", .string, default: "firedrill experiment", "reason recorded by ECS"),
            ] + selection(),
            rules: selectionRules,
            program: "aws"
        ),
        DriverSpec(
            "aws.ecs.update-service", role: .step, "Changes an ECS service's desired count, forces a deployment, or rolls back its task definition.",
            timeout: "5m",
            params: awsAccess + [
                ParamSpec("cluster", .string, required: true, "ECS cluster"),
                ParamSpec("service", .string, required: true, "ECS service"),
                ParamSpec("desired-count", .integer(min: 0, max: nil), "new desired count"),
                ParamSpec("force-new-deployment", .boolean, default: "false", "`--force-new-deployment`"),
                ParamSpec("task-definition", .string, "task definition to deploy"),
                ParamSpec("previous-task-definition", .boolean, default: "false", "deploy the revision before the current one"),
            ],
            rules: [.atMostOne(["task-definition", "previous-task-definition"])],
            undo: "the previous desired count and task definition restored",
            program: "aws"
        ),
        DriverSpec(
            "aws.elasticache.test-failover", role: .step, "Fails over an ElastiCache node group.",
            timeout: "10m",
            params: awsAccess + [
                ParamSpec("replication-group", .string, required: true, "replication group id"),
                ParamSpec("node-group", .string, default: "0001", "node group id"),
            ],
            program: "aws"
        ),
        DriverSpec(
            "aws.route53.failover", role: .step, "Points a DNS record at the standby region.",
            timeout: "5m",
            params: awsAccess + [
                ParamSpec("hosted-zone", .string, required: true, "hosted zone id"),
                ParamSpec("record", .string, required: true, "record name, e.g. api.example.com."),
                ParamSpec("type", .enumeration(["A", "AAAA", "CNAME"]), default: "A", "record type"),
                ParamSpec("values", .stringList, required: true, "the new record values"),
                ParamSpec("ttl", .integer(min: 0, max: nil), default: "60", "record TTL in seconds"),
            ],
            undo: "the previous record restored",
            program: "aws"
        ),
    ]
}
