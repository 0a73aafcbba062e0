extension DriverCatalog {
    /// `wait` and `parallel` are plan structure, not drivers: the runner carries them out itself (a guard breach
    /// cuts a wait short; `parallel` runs its child steps under the runner's own ledger and cancellation), so no
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
    ]
}
