extension DriverCatalog {
    /// `wait`, `parallel`, `until` and `manual` are plan structure, not drivers: the runner carries them out itself (a
    /// guard breach cuts a wait short; `parallel` runs its child steps under the runner's own ledger and
    /// cancellation; `until` polls a probe through the probe runner; `manual` waits for a person), so no
    /// driver module registers them. They are declared here so that every catalog, the builtin one and a test's
    /// small one alike, can validate and document them.
    public static let control: [DriverSpec] = [
        DriverSpec(
            "wait", role: .step, "Waits. A guard breach cuts the wait short.",
            timeout: "none",
            params: [ParamSpec("for", .duration, required: true, "how long to wait")],
            shorthand: "for"
        ),
        DriverSpec(
            "parallel", role: .step, "Runs a list of steps together and waits for all of them.",
            timeout: "none",
            params: [ParamSpec("steps", .steps, required: true, "the steps to run together")],
            shorthand: "steps"
        ),
        DriverSpec(
            "until", role: .step,
            "Polls a probe until it passes (its `expect`, `consecutive` passes in a row): waiting for a node to rejoin, a failback to settle. Fails the step at `timeout`; a guard breach cuts it short.",
            timeout: "10m",
            params: [
                ParamSpec("probe", .probe, required: true, "the probe polled, with its `expect` (or `use: NAME` of a steady-state probe)"),
                ParamSpec("every", .duration, default: "2s", "how often the probe is executed"),
                ParamSpec("timeout", .duration, default: "10m", "when the step fails if the probe has not passed"),
            ]
        ),
        DriverSpec(
            "manual", role: .step,
            "Pauses the drill for a person: shows the prompt and waits for yes or no, typed on the terminal or given with `firedrill confirm RUN_DIR STEP` from anywhere. A rejection or the timeout fails the step.",
            timeout: "15m",
            params: [
                ParamSpec("prompt", .string, required: true, "what the operator is asked to do or decide"),
                ParamSpec("timeout", .duration, default: "15m", "when the step fails if nobody has answered"),
                ParamSpec("who", .string, "the role expected to answer (`incident-commander`), shown with the prompt and in the report"),
            ],
            shorthand: "prompt"
        ),
    ]
}
