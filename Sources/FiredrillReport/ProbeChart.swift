/// The inline SVG of one probe's results over the run: a value line (latency, or the probe's number) or
/// pass/fail lanes, failures in red, the fault window shaded, and vertical marks for the drill instants.
struct ProbeChart {
    /// A vertical mark (injected, detected, first healthy, stable, a guard breach).
    struct Mark {
        var id: String
        var label: String
        var mono: Double
    }

    let probe: String
    let roles: [String]
    let points: [TimelineSampler.Point]
    let valueField: String?
    let domain: ClosedRange<Double>
    let window: RunReport.Window?
    let marks: [Mark]
    /// Where the time axis counts from (the injection for a drill, the run start otherwise), and its name.
    let origin: Double
    let originName: String

    /// Builds the chart of `probe` from every series of the timeline that belongs to it.
    init(probe: String, timeline: ProbeTimeline, domain: ClosedRange<Double>, window: RunReport.Window?, marks: [Mark],
         origin: Double, originName: String) {
        var points: [TimelineSampler.Point] = []
        var roles: [String] = []
        var field: String?
        for s in timeline.series where s.probe == probe {
            roles.append(s.role)
            if field == nil { field = s.valueField }
            points.reserveCapacity(points.count + s.count)
            for i in 0..<s.count {
                points.append(TimelineSampler.Point(mono: s.mono[i], passed: s.passed[i], value: s.value[i], startsSegment: i == 0))
            }
        }
        if roles.count > 1 { points.sort { $0.mono < $1.mono } }
        self.probe = probe
        self.roles = roles
        self.points = points
        self.valueField = field
        self.domain = domain
        self.window = window
        self.marks = marks
        self.origin = origin
        self.originName = originName
    }

    var numeric: Bool { valueField != nil }

    func svg() -> (svg: String, sample: TimelineSampler.Sample) {
        var g = ChartGeometry(height: numeric ? 210 : 110)
        g.top = 34
        let sampler = TimelineSampler(domain: domain, width: g.plotWidth)
        let sample = sampler.sample(points, marks: marks.map(\.mono))
        let x = { (m: Double) -> String in ChartGeometry.n(g.left + sampler.pixel(min(max(m, domain.lowerBound), domain.upperBound))) }
        var s = ""
        s.reserveCapacity(64 * sample.shown + 4096)
        let id = ReportText.slug(probe)
        s += #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(ChartGeometry.n(g.width)) \#(ChartGeometry.n(g.height))" role="img" aria-labelledby="probe-chart-title-\#(id)" data-points="\#(sample.total)" data-shown="\#(sample.shown)" data-failures="\#(sample.failures)">"#
        s += #"<title id="probe-chart-title-\#(id)">\#(ReportText.html(probe)): \#(sample.total) results, \#(sample.failures) failed</title>"#
        s += #"<rect class="plot-bg" x="\#(ChartGeometry.n(g.left))" y="\#(ChartGeometry.n(g.top))" width="\#(ChartGeometry.n(g.plotWidth))" height="\#(ChartGeometry.n(g.plotHeight))"/>"#
        if let w = window, w.endMono >= w.startMono {
            let x0 = g.left + sampler.pixel(max(w.startMono, domain.lowerBound))
            let x1 = g.left + sampler.pixel(min(w.endMono, domain.upperBound))
            s += #"<rect class="fault-window" x="\#(ChartGeometry.n(x0))" y="\#(ChartGeometry.n(g.top))" width="\#(ChartGeometry.n(max(x1 - x0, 1)))" height="\#(ChartGeometry.n(g.plotHeight))"><title>\#(ReportText.html(w.label))</title></rect>"#
        }
        // Time axis.
        for t in ChartGeometry.timeTicks(from: domain.lowerBound - origin, to: domain.upperBound - origin) {
            let px = x(t + origin)
            s += #"<line class="grid" x1="\#(px)" x2="\#(px)" y1="\#(ChartGeometry.n(g.top))" y2="\#(ChartGeometry.n(g.plotBottom))"/>"#
            s += #"<text class="tick" x="\#(px)" y="\#(ChartGeometry.n(g.plotBottom + 16))" text-anchor="middle">\#(ChartGeometry.timeLabel(t))</text>"#
        }
        let yFail: Double
        if numeric {
            let values = sample.line.joined().compactMap(\.value) + sample.failureDots.compactMap(\.value)
            let top = max(values.max() ?? 0, 1e-9) * 1.1
            let ticks = ChartGeometry.ticks(upTo: top, count: 4)
            let yMax = max(ticks.last ?? top, top)
            let y = { (v: Double) -> Double in g.plotBottom - v / yMax * g.plotHeight }
            for t in ticks {
                s += #"<line class="grid" x1="\#(ChartGeometry.n(g.left))" x2="\#(ChartGeometry.n(g.width - g.right))" y1="\#(ChartGeometry.n(y(t)))" y2="\#(ChartGeometry.n(y(t)))"/>"#
                s += #"<text class="tick" x="\#(ChartGeometry.n(g.left - 6))" y="\#(ChartGeometry.n(y(t) + 4))" text-anchor="end">\#(ChartGeometry.valueLabel(t, field: valueField))</text>"#
            }
            s += #"<text class="axis-name" x="12" y="\#(ChartGeometry.n(g.top + g.plotHeight / 2))" transform="rotate(-90 12 \#(ChartGeometry.n(g.top + g.plotHeight / 2)))" text-anchor="middle">\#(ReportText.html(valueField ?? ""))</text>"#
            for segment in sample.line where !segment.isEmpty {
                if segment.count == 1, let p = segment.first {
                    s += #"<circle class="value-dot" cx="\#(x(p.mono))" cy="\#(ChartGeometry.n(y(p.value ?? 0)))" r="2.5"/>"#
                    continue
                }
                s += #"<polyline class="value-line" points=""#
                for p in segment { s += x(p.mono) + "," + ChartGeometry.n(y(p.value ?? 0)) + " " }
                s += #""/>"#
            }
            for p in sample.failureDots {
                s += #"<circle class="fail-dot" cx="\#(x(p.mono))" cy="\#(ChartGeometry.n(y(p.value ?? 0)))" r="2.5"/>"#
            }
            yFail = g.plotBottom - 4
        } else {
            let yPass = g.top + g.plotHeight * 0.28
            yFail = g.top + g.plotHeight * 0.75
            s += #"<text class="tick" x="\#(ChartGeometry.n(g.left - 6))" y="\#(ChartGeometry.n(yPass + 4))" text-anchor="end">pass</text>"#
            s += #"<text class="tick" x="\#(ChartGeometry.n(g.left - 6))" y="\#(ChartGeometry.n(yFail + 4))" text-anchor="end">fail</text>"#
            for p in sample.passDots {
                s += #"<circle class="pass-dot" cx="\#(x(p.mono))" cy="\#(ChartGeometry.n(yPass))" r="2.5"/>"#
            }
        }
        for r in sample.failureRuns {
            let x0 = g.left + sampler.pixel(r.start), x1 = g.left + sampler.pixel(r.end)
            let count = r.count == 1 ? "1 failure" : "\(r.count) failures"
            let when = ChartGeometry.timeLabel(r.start - origin) + (r.count > 1 ? " to " + ChartGeometry.timeLabel(r.end - origin) : "")
            if x1 - x0 < 2 {
                s += #"<circle class="fail-run" cx="\#(ChartGeometry.n(x0))" cy="\#(ChartGeometry.n(yFail))" r="3"><title>\#(count) at \#(when)</title></circle>"#
            } else {
                s += #"<rect class="fail-run" x="\#(ChartGeometry.n(x0))" y="\#(ChartGeometry.n(yFail - 3))" width="\#(ChartGeometry.n(x1 - x0))" height="6" rx="3"><title>\#(count), \#(when)</title></rect>"#
            }
        }
        var labelSlots: [Double] = []
        for m in marks where domain.contains(m.mono) {
            let px = g.left + sampler.pixel(m.mono)
            s += #"<line class="mark mark-\#(m.id)" x1="\#(ChartGeometry.n(px))" x2="\#(ChartGeometry.n(px))" y1="\#(ChartGeometry.n(g.top))" y2="\#(ChartGeometry.n(g.plotBottom))"><title>\#(ReportText.html(m.label)) \#(ChartGeometry.timeLabel(m.mono - origin))</title></line>"#
            let row = labelSlots.filter { abs($0 - px) < 90 }.count
            labelSlots.append(px)
            let anchor = px > g.width - 120 ? "end" : "start"
            let lx = anchor == "end" ? px - 3 : px + 3
            s += #"<text class="mark-label mark-\#(m.id)" x="\#(ChartGeometry.n(lx))" y="\#(ChartGeometry.n(12 + Double(row % 2) * 12))" text-anchor="\#(anchor)">\#(ReportText.html(m.label))</text>"#
        }
        s += "</svg>"
        return (s, sample)
    }
}
