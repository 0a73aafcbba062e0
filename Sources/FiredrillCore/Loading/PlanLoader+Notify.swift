extension PlanLoader {
    /// `notify:` — a list of `{ webhook | slack: URL, events, announce }`.
    mutating func loadNotify(_ node: PlanNode) -> [NotifyTarget] {
        guard let items = node.sequence else {
            error(node.location, "`notify` must be a list, but this is \(node.kindName)",
                  hint: "write `notify: [ { slack: \"${secret.slack-webhook}\", announce: required } ]`")
            return []
        }
        var targets: [NotifyTarget] = []
        for item in items {
            guard mapping(item, "notify", keys: PlanSchema.notify) != nil else { continue }
            let kinds = NotifyTarget.Kind.allCases.filter { item[$0.rawValue] != nil }
            guard kinds.count == 1, let kind = kinds.first, let urlNode = item[kind.rawValue],
                  let url = string(urlNode, "notify.\(kind.rawValue)") else {
                if kinds.count != 1 {
                    error(item.location, "a `notify` entry needs exactly one of `webhook` and `slack`",
                          hint: "write `- webhook: https://hooks.example.com/drills` or `- slack: \"${secret.slack-webhook}\"`")
                }
                continue
            }
            let resolved = resolveKnown(url)
            if !Self.hasReferences(resolved), !(resolved.hasPrefix("https://") || resolved.hasPrefix("http://")) {
                error(urlNode.location, "`notify.\(kind.rawValue)` must be an http(s) URL, but this is `\(resolved)`")
            }
            var events = Set(NotifyTarget.events)
            if let eventsNode = item["events"] {
                events = []
                for (i, name) in stringList(eventsNode, "notify.events").enumerated() {
                    if NotifyTarget.events.contains(name) {
                        events.insert(name)
                    } else {
                        let location = eventsNode.sequence?[i].location ?? eventsNode.location
                        error(location, "unknown notify event `\(name)`", hint: "events are " + NotifyTarget.events.joined(separator: ", "))
                    }
                }
            }
            let announce = item["announce"].flatMap { string($0, "notify.announce") } ?? "best-effort"
            if !["required", "best-effort"].contains(announce), let announceNode = item["announce"] {
                error(announceNode.location, "`notify.announce` must be `required` or `best-effort`, but this is `\(announce)`")
            }
            targets.append(NotifyTarget(kind: kind, url: url, events: events, announceRequired: announce == "required", location: item.location))
        }
        return targets
    }
}
