/// How one request of a load loop ended.
enum LoadOutcome {
    case status(Int)
    case failed(HTTPError)
    /// Due before the deadline but never sent: every connection allowed was busy.
    case unsent
}
