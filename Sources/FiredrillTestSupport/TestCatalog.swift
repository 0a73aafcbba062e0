import FiredrillCore
import FiredrillDrivers

/// Catalogs for tests: the one this build ships, assembled from its registered drivers.
public enum TestCatalog {
    public static var builtin: DriverCatalog { BuiltinDrivers.catalog }
}
