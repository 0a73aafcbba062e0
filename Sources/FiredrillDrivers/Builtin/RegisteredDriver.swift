import FiredrillCore

/// Anything a family's registry list in `BuiltinDrivers` holds: a driver that declares its catalog entry
/// (`DeclaredDriver`, a probe, a step or both) or an undo that names its own key (`DeclaredUndo`). The catalog and
/// the run-time maps (`probes`, `steps`, `undos`, `declared`) are all derived from those lists, so registering a
/// driver is one line.
public protocol RegisteredDriver: Sendable {}
