/// The inline SVG of the objectives: one bar per figure (RTO, RPO) against its objective, the RTO bar split into
/// its detection and repair spans.
struct ObjectiveChart {
    /// One bar.
    struct Bar {
        var id: String
        var label: String
        var seconds: Double?
        var objective: Double?
        var verdict: String
        /// Segments drawn inside the bar (detection, repair), in order; empty for a plain bar.
        var segments: [(name: String, seconds: Double)] = []
    }

    let bars: [Bar]

    init(_ r: RunReport) {
        var bars: [Bar] = []
        if let rto = r.drill?.rto {
            var bar = Bar(id: "rto", label: "RTO", seconds: rto.seconds, objective: rto.objectiveSeconds, verdict: rto.verdict)
            if let d = rto.detectionSeconds, let rep = rto.repairSeconds { bar.segments = [("detection", d), ("repair", rep)] }
            bars.append(bar)
        }
        if let rpo = r.drill?.rpo {
            bars.append(Bar(id: "rpo", label: "RPO", seconds: rpo.seconds, objective: rpo.objectiveSeconds, verdict: rpo.verdict))
        }
        self.bars = bars
    }

    func svg() -> String? {
        guard !bars.isEmpty else { return nil }
        let rowHeight = 64.0
        var g = ChartGeometry(height: 8 + Double(bars.count) * rowHeight)
        g.left = 60
        g.right = 150
        g.top = 8
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(ChartGeometry.n(g.width)) \#(ChartGeometry.n(g.height))" role="img" aria-labelledby="objective-chart-title">"#
        s += #"<title id="objective-chart-title">Achieved against objectives</title>"#
        for (i, b) in bars.enumerated() {
            // Each bar has its own scale: RTO is often minutes while RPO is seconds.
            let scale = max(max(b.seconds ?? 0, b.objective ?? 0) * 1.2, 1e-3)
            let x = { (v: Double) -> Double in g.left + min(v, scale) / scale * g.plotWidth }
            let y = g.top + 20 + Double(i) * rowHeight
            let verdictClass = ReportLabels.verdictClass(b.verdict)
            s += #"<text class="bar-label" x="\#(ChartGeometry.n(g.left - 10))" y="\#(ChartGeometry.n(y + 17))" text-anchor="end">\#(b.label)</text>"#
            s += #"<rect class="track" x="\#(ChartGeometry.n(g.left))" y="\#(ChartGeometry.n(y))" width="\#(ChartGeometry.n(g.plotWidth))" height="24" rx="3"/>"#
            s += #"<text class="tick" x="\#(ChartGeometry.n(g.left))" y="\#(ChartGeometry.n(y + 38))">0</text>"#
            if let v = b.seconds {
                if b.segments.isEmpty {
                    s += #"<rect class="bar bar-\#(b.id) \#(verdictClass)" x="\#(ChartGeometry.n(g.left))" y="\#(ChartGeometry.n(y))" width="\#(ChartGeometry.n(max(x(v) - g.left, 2)))" height="24" rx="3"><title>\#(b.label) \#(ReportText.seconds(v))</title></rect>"#
                } else {
                    var start = 0.0
                    for seg in b.segments {
                        let w = max(x(start + seg.seconds) - x(start), 2)
                        s += #"<rect class="bar bar-\#(b.id) segment-\#(seg.name) \#(verdictClass)" x="\#(ChartGeometry.n(x(start)))" y="\#(ChartGeometry.n(y))" width="\#(ChartGeometry.n(w))" height="24"><title>\#(seg.name) \#(ReportText.seconds(seg.seconds))</title></rect>"#
                        if w > 130 {
                            s += #"<text class="segment-label" x="\#(ChartGeometry.n(x(start) + 6))" y="\#(ChartGeometry.n(y + 16))">\#(seg.name) \#(ReportText.seconds(seg.seconds))</text>"#
                        }
                        start += seg.seconds
                    }
                }
                s += #"<text class="bar-value \#(verdictClass)" x="\#(ChartGeometry.n(g.width - g.right + 10))" y="\#(ChartGeometry.n(y + 17))">\#(ReportText.seconds(v)) · \#(b.verdict)</text>"#
            } else {
                s += #"<text class="bar-value unset" x="\#(ChartGeometry.n(g.width - g.right + 10))" y="\#(ChartGeometry.n(y + 17))">not measured</text>"#
            }
            if let o = b.objective {
                let ox = x(o)
                s += #"<line class="objective-line" x1="\#(ChartGeometry.n(ox))" x2="\#(ChartGeometry.n(ox))" y1="\#(ChartGeometry.n(y - 5))" y2="\#(ChartGeometry.n(y + 29))"><title>objective \#(ReportText.seconds(o))</title></line>"#
                s += #"<text class="objective-label" x="\#(ChartGeometry.n(ox))" y="\#(ChartGeometry.n(y + 40))" text-anchor="middle">objective \#(ReportText.seconds(o))</text>"#
            }
        }
        s += "</svg>"
        return s
    }
}
