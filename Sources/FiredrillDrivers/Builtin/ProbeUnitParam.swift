import FiredrillCore

/// The `unit` parameter of the probes whose value is a query's number (`postgres`, `prometheus`), declared once.
/// What a query's number means, so `expect` can be checked against it: a Prometheus error ratio is a `ratio`
/// (0–1), a latency in seconds a `duration`. The runner reads it (`DriverSpec.observedFields`), not the driver.
enum ProbeUnitParam {
    static let spec = ParamSpec("unit", .enumeration(FieldKind.declarable.map(\.rawValue)),
                                "the unit of the query's value: `ratio` (0–1), `percent` (0–100), `duration` (seconds), `bytes`, `count`, `rate` (per second) or `number`; without it, `expect` may compare `value` only with plain numbers")
}
