import Foundation

extension PlanLoader {
    /// `runbook:` — an http(s) URL with a host; `${name}` vars are substituted (other references are refused:
    /// the link must read the same in every report).
    mutating func loadRunbook(_ node: PlanNode) -> String? {
        guard let text = string(node, "runbook") else { return nil }
        let resolved = resolveKnown(text).trimmingCharacters(in: .whitespaces)
        if Self.hasReferences(resolved) {
            error(node.location, "`runbook` may use only the plan's vars, but this is `\(resolved)`",
                  hint: "write the runbook's URL, e.g. `runbook: https://wiki.example.com/runbooks/db-failover`")
            return nil
        }
        guard let url = URLComponents(string: resolved), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, !resolved.contains(where: \.isWhitespace) else {
            error(node.location, "`runbook` must be an http(s) URL, but this is `\(resolved)`",
                  hint: "for example `runbook: https://wiki.example.com/runbooks/db-failover`")
            return nil
        }
        return resolved
    }
}
