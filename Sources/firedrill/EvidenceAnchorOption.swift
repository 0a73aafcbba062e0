import ArgumentParser

/// `--anchor-file` of `sign` and `annotate`: where the log's entry count and head are anchored after each entry.
struct EvidenceAnchorOption: ParsableArguments {
    @Option(name: .customLong("anchor-file"), help: "Append the log's entry count and head to this file (one JSON line per entry), kept outside the run directory; `verify --anchors` then catches removed entries.")
    var anchorFile: String?
}
