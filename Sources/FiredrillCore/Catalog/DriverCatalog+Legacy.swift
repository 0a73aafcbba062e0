extension DriverCatalog {
    /// The specs still declared in Core rather than next to their driver, for `DriverParams(key:node:)`. Drivers
    /// that declare their own spec pass it to `DriverParams(spec:node:)` instead; this list shrinks as families
    /// move out.
    public static let legacy = DriverCatalog(probes + control + process + flood)
}
