/// What loading a plan file gives: the plan when it is valid, and every diagnostic found in one pass.
public struct LoadResult: Sendable {
    public var path: String
    public var text: String
    /// The plan, present only when there is no error.
    public var plan: Plan?
    public var diagnostics: [Diagnostic]

    public init(path: String, text: String, plan: Plan?, diagnostics: [Diagnostic]) {
        self.path = path
        self.text = text
        self.plan = plan
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var isValid: Bool { plan != nil && errors.isEmpty }

    /// Every diagnostic rendered with its source line and caret.
    public func rendered() -> String {
        let renderer = DiagnosticRenderer(source: text)
        return diagnostics.map(renderer.render).joined(separator: "\n")
    }
}
