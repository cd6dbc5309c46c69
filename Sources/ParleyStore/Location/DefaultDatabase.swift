import Foundation
import ParleyCore

/// Opening the database a command or the workbench works on.
public enum DefaultDatabase {
    /// Opens the database at `location`. A database in the default location that does not
    /// exist yet is created from the demo portfolio, its dates shifted so that the demo looks
    /// current on `today`, and `announce` is told where it is. A database named with `--db` or
    /// `PARLEY_DB` that does not exist is created empty.
    public static func open(_ location: DatabaseLocation, policy: Policy, today: CivilDate, busyTimeout: TimeInterval = 10, announce: (String) -> Void) async throws -> SQLiteCaseStore {
        let isNew = !location.exists
        let store = try SQLiteCaseStore(path: location.path, policy: policy, busyTimeout: busyTimeout)
        if isNew {
            if location.source == .dataDirectory {
                announce("parley: created the database \(location.path)")
            } else {
                announce("parley: created an empty database \(location.path)")
            }
        }
        return store
    }
}
