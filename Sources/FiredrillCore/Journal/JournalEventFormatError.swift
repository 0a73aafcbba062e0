/// Why a line that is valid JSON is still not a journal event.
struct JournalEventFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
