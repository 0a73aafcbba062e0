import ArgumentParser
import FiredrillCore
import FiredrillStore
import Foundation

/// `firedrill schedule export` — hands the plans' schedules to systemd or Kubernetes, which run them.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Export scheduled plans to systemd timers or Kubernetes CronJobs (Firedrill runs no daemon).",
        subcommands: [ScheduleExportCommand.self]
    )
}

struct ScheduleExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a systemd .service/.timer pair, or Kubernetes manifests, for each scheduled plan.",
        discussion: """
        --systemd DIR: firedrill-<plan>.service and .timer (OnCalendar from the cron in the plan's timezone,
        Persistent=true). Install with: cp DIR/* /etc/systemd/system/ && systemctl enable --now firedrill-<plan>.timer
        --kubernetes DIR: a ConfigMap with the plans, and per plan a CronJob (timeZone, concurrencyPolicy Forbid,
        startingDeadlineSeconds, backoffLimit 0, the store DSN from a Secret) with a ServiceAccount and Role limited
        to what its Kubernetes drivers do. --env-secret, --config-secret and --signing-key-secret give the pods the
        environment the plans' secrets read, the configuration file and the signing key; the export warns about
        anything a plan needs that its pod would not have. Apply with: kubectl apply -f DIR
        """
    )

    @Argument(help: "Plan files or folders (default: experiments and drills).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Write systemd units here.", valueName: "dir"))
    var systemd: String?

    @Option(help: ArgumentHelp("Write Kubernetes manifests here.", valueName: "dir"))
    var kubernetes: String?

    @Option(help: "systemd: the firedrill binary the services run.")
    var binary: String = "/usr/local/bin/firedrill"

    @Option(name: .customLong("working-directory"), help: "systemd: the folder the drills run in (default: the current one).")
    var workingDirectory: String?

    @Option(name: .customLong("environment-file"), help: "systemd: a file with FIREDRILL_STORE=… for the services.")
    var environmentFile: String = "/etc/firedrill/store.env"

    @Option(help: "systemd: the user the drills run as.")
    var user: String?

    @Option(help: "Kubernetes: the namespace of the manifests.")
    var namespace: String = "firedrill"

    @Option(help: "Kubernetes: the firedrill image (see the Dockerfile).")
    var image: String = "firedrill:latest"

    @Option(name: .customLong("store-secret"), help: "Kubernetes: the Secret whose key `dsn` is the store's postgresql:// URI.")
    var storeSecret: String = "firedrill-store"

    @Option(name: .customLong("starting-deadline"), help: "Kubernetes: seconds a missed schedule may still start late.")
    var startingDeadline: Int = 3600

    @Option(name: .customLong("env-secret"), help: ArgumentHelp("Kubernetes: a Secret whose keys become the pods' environment variables (what `secrets: { env: VAR }` reads); repeatable.", valueName: "name"))
    var envSecrets: [String] = []

    @Option(name: .customLong("config-secret"), help: ArgumentHelp("Kubernetes: a Secret with key firedrill.yaml (notify, protected environments), mounted as $FIREDRILL_CONFIG.", valueName: "name"))
    var configSecret: String?

    @Option(name: .customLong("signing-key-secret"), help: ArgumentHelp("Kubernetes: a Secret with key signing.key (from `firedrill key generate`), mounted as $FIREDRILL_SIGNING_KEY.", valueName: "name"))
    var signingKeySecret: String?

    func validate() throws {
        guard (systemd == nil) != (kubernetes == nil) else {
            throw ValidationError("give one of --systemd DIR or --kubernetes DIR")
        }
    }

    func run() async throws {
        let loaded = ScheduledPlan.load(paths)
        for m in loaded.missing { Console.error("\(m): no such file or directory") }
        for file in loaded.invalid { Console.error("\(file): not a valid plan; run `firedrill validate \(file)`") }
        guard loaded.missing.isEmpty, loaded.invalid.isEmpty else { throw ExitStatus.invalid }
        guard !loaded.plans.isEmpty else {
            Console.error("no plan with a schedule: found nothing to export")
            throw ExitStatus.failed
        }
        let directory: String
        let files: [(name: String, text: String)]
        if let systemd {
            directory = systemd
            let cwd = FileManager.default.currentDirectoryPath
            let workdir = workingDirectory.map { $0.hasPrefix("/") ? $0 : cwd + "/" + $0 } ?? cwd
            let export = SystemdExport(binary: binary, workingDirectory: workdir, environmentFile: environmentFile, user: user)
            for plan in loaded.plans {
                if let gap = SystemdExport.daylightSavingGaps(plan, after: export.now).first {
                    Console.error("warning: \(plan.plan.name): \(plan.scheduleText) falls in a daylight-saving gap on \(RunRecord.rfc3339(gap).prefix(10)); systemd skips that day (cron would run it when the clocks jump) and `firedrill due` will report it missed. Choose a time outside the change hour.")
                }
            }
            files = export.files(for: loaded.plans)
        } else {
            directory = kubernetes ?? ""
            let export = KubernetesExport(namespace: namespace, image: image, storeSecret: storeSecret, startingDeadlineSeconds: startingDeadline,
                                          environmentSecrets: envSecrets, configSecret: configSecret, signingKeySecret: signingKeySecret)
            for plan in loaded.plans {
                for gap in export.gaps(plan, configFile: RunConfig.locate(option: nil, planPath: plan.file)) { Console.error("warning: \(gap)") }
            }
            files = try export.files(for: loaded.plans)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for file in files {
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: directory + "/" + file.name), options: .atomic)
                print(directory + "/" + file.name)
            }
        } catch {
            Console.error("cannot write to \(directory): \(error.localizedDescription)")
            throw ExitStatus.failed
        }
    }
}
