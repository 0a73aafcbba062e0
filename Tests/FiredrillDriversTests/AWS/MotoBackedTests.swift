import Testing

/// The suites that start a `moto_server` and run the real `aws` CLI, one test at a time: each test starts its
/// own server, and several python servers booting at once on a small machine starve every other test.
@Suite("Drivers against moto_server", .serialized)
struct MotoBackedTests {}
