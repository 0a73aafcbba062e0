import Foundation

/// Runs blocking Redis work on a dedicated thread and awaits its result.
enum RedisThread {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws(RedisError) -> T) async throws(RedisError) -> T {
        let result: Result<T, RedisError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(RedisError) { continuation.resume(returning: .success(try body())) } catch { continuation.resume(returning: .failure(error)) }
            }
            thread.name = "redis"
            thread.start()
        }
        return try result.get()
    }
}
