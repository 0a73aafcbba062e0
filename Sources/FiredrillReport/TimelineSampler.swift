/// Reduces one probe's results to what a chart of a given pixel width can show, bounded whatever the number of
/// results: the value line keeps the lowest and highest value per two-pixel column (≤ `width` points) and breaks
/// where results have no value or where there were none for a while (more than `gapPixels`), passes
/// without a value keep one dot per column, and failures are never dropped: consecutive failures become runs
/// (merged when closer than two pixels), and failure values keep the worst per column. Points at `marks`
/// (detected, first healthy, stable) are always kept.
struct TimelineSampler {
    /// One probe result.
    struct Point {
        var mono: Double
        var passed: Bool
        var value: Double?
        /// The first result of a series (another role of the same probe): the value line restarts here.
        var startsSegment = false
    }

    /// Consecutive failures, drawn as one bar (or a dot when it spans less than a column).
    struct FailureRun {
        var start: Double
        var end: Double
        var count: Int
    }

    /// What to draw.
    struct Sample {
        /// Segments of the value line.
        var line: [[Point]] = []
        var passDots: [Point] = []
        var failureDots: [Point] = []
        var failureRuns: [FailureRun] = []
        var total = 0
        var failures = 0
        var shown: Int { line.reduce(0) { $0 + $1.count } + passDots.count + failureDots.count + failureRuns.count }
    }

    let domain: ClosedRange<Double>
    /// Plot width in pixels.
    let width: Double
    /// A gap between values wider than this (in pixels) breaks the line.
    var gapPixels: Double = 24

    func column(_ mono: Double, size: Double) -> Int {
        let span = max(domain.upperBound - domain.lowerBound, 1e-9)
        return Int(((mono - domain.lowerBound) / span * width / size).rounded(.down))
    }

    func pixel(_ mono: Double) -> Double {
        let span = max(domain.upperBound - domain.lowerBound, 1e-9)
        return (mono - domain.lowerBound) / span * width
    }

    /// `points` must be in time order.
    func sample(_ points: [Point], marks: [Double]) -> Sample {
        var out = Sample()
        out.total = points.count
        let markSet = Set(marks)
        var lastLineColumn = Int.min
        var lineMin = -1, lineMax = -1
        var lastValueMono: Double?
        var breakPending = true
        var lastPassColumn = Int.min
        var lastFailColumn = Int.min
        var worstFailure = -1
        var run: FailureRun?

        func flushLine(_ out: inout Sample) {
            guard lineMin >= 0 else { return }
            if lineMin == lineMax { out.line[out.line.count - 1].append(points[lineMin]) } else {
                out.line[out.line.count - 1].append(points[min(lineMin, lineMax)])
                out.line[out.line.count - 1].append(points[max(lineMin, lineMax)])
            }
            lineMin = -1
            lineMax = -1
        }
        func flushFailure(_ out: inout Sample) {
            if worstFailure >= 0 { out.failureDots.append(points[worstFailure]) }
            worstFailure = -1
        }
        func flushRun(_ out: inout Sample) {
            guard let r = run else { return }
            if let last = out.failureRuns.last, pixel(r.start) - pixel(last.end) < 2 {
                out.failureRuns[out.failureRuns.count - 1].end = r.end
                out.failureRuns[out.failureRuns.count - 1].count += r.count
            } else {
                out.failureRuns.append(r)
            }
            run = nil
        }

        for (i, p) in points.enumerated() {
            if let v = p.value {
                if p.startsSegment { breakPending = true }
                if let previous = lastValueMono, pixel(p.mono) - pixel(previous) > gapPixels { breakPending = true }
                lastValueMono = p.mono
                let c = column(p.mono, size: 2)
                if breakPending {
                    flushLine(&out)
                    out.line.append([])
                    lastLineColumn = c
                    breakPending = false
                } else if c != lastLineColumn {
                    flushLine(&out)
                    lastLineColumn = c
                }
                if lineMin < 0 || v < points[lineMin].value! { lineMin = i }
                if lineMax < 0 || v > points[lineMax].value! { lineMax = i }
                if markSet.contains(p.mono), i != lineMin, i != lineMax {
                    flushLine(&out)
                    out.line[out.line.count - 1].append(p)
                }
            } else {
                breakPending = true
            }
            if p.passed {
                flushRun(&out)
                if p.value == nil {
                    let c = column(p.mono, size: 1)
                    if c != lastPassColumn || markSet.contains(p.mono) {
                        out.passDots.append(p)
                        lastPassColumn = c
                    }
                }
            } else {
                out.failures += 1
                if run == nil { run = FailureRun(start: p.mono, end: p.mono, count: 0) }
                run!.end = p.mono
                run!.count += 1
                if let v = p.value {
                    let c = column(p.mono, size: 2)
                    if c != lastFailColumn {
                        flushFailure(&out)
                        lastFailColumn = c
                    }
                    if worstFailure < 0 || v > points[worstFailure].value! { worstFailure = i }
                }
            }
        }
        flushLine(&out)
        flushFailure(&out)
        flushRun(&out)
        return out
    }
}
