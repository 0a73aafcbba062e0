/// The report page's inline style sheet: no external fonts or assets, readable on screen and in print.
enum HTMLStyle {
    static let css = """
    :root{--ink:#1d2430;--muted:#5b6472;--line:#d9dee5;--bg:#f6f7f9;--ok:#1f7a3d;--ok-bg:#e3f3e8;--bad:#b42318;--bad-bg:#fde8e6;--warn:#9a6700;--warn-bg:#fff4d6;--accent:#2456a6}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh}
    h1{font-size:24px;margin:0 0 6px}
    h2{font-size:18px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
    h3{font-size:15px;margin:20px 0 8px}
    p{margin:6px 0}
    code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
    .hash{word-break:break-all}
    table{border-collapse:collapse;width:100%;margin:8px 0}
    th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
    th{background:#eef1f5;font-weight:600}
    table.facts th{width:190px;background:#f3f5f8}
    td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
    td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
    .verdict-banner{display:flex;gap:14px;align-items:center;padding:12px 16px;border-radius:6px;margin:12px 0 4px;font-size:15px}
    .verdict-banner strong{font-size:18px;letter-spacing:.5px}
    .verdict-passed{background:var(--ok-bg);color:var(--ok)}
    .verdict-deviated,.verdict-not-started,.verdict-inconclusive{background:var(--warn-bg);color:var(--warn)}
    .verdict-aborted,.verdict-failed,.verdict-interrupted,.verdict-unfinished,.verdict-journal-invalid{background:var(--bad-bg);color:var(--bad)}
    .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:700;font-size:12px;letter-spacing:.4px}
    .met,.status-ok{color:var(--ok)}
    .badge.met{background:var(--ok-bg)}
    .missed,.status-failed,.status-interrupted{color:var(--bad)}
    .badge.missed{background:var(--bad-bg)}
    .inconclusive{color:var(--warn)}
    .badge.inconclusive{background:var(--warn-bg)}
    .unset,.status-cancelled{color:var(--muted)}
    .badge.unset{background:#eceff3}
    .muted{color:var(--muted)}
    .big{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums}
    .cards{display:flex;gap:12px;flex-wrap:wrap;margin:10px 0}
    .card{flex:1 1 200px;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
    .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.5px}
    figure{margin:12px 0 18px}
    figcaption{font-size:13px;color:var(--muted);margin-bottom:4px}
    figcaption strong{color:var(--ink)}
    svg{width:100%;height:auto;display:block}
    svg text{font:11px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#5b6472}
    svg .plot-bg{fill:#fbfcfd;stroke:#d9dee5}
    svg .grid{stroke:#e6e9ee;stroke-width:1}
    svg .fault-window{fill:#f5b8b0;opacity:.35}
    svg .value-line{fill:none;stroke:#2456a6;stroke-width:1.3;stroke-linejoin:round}
    svg .value-dot{fill:#2456a6}
    svg .pass-dot{fill:#2f9e58}
    svg .fail-dot,svg circle.fail-run{fill:#c62f22}
    svg rect.fail-run{fill:#c62f22;opacity:.85}
    svg line.mark{stroke-width:1.5;stroke-dasharray:4 3}
    svg line.mark-injected{stroke:#b42318}
    svg text.mark-injected{fill:#b42318}
    svg line.mark-detected{stroke:#9a6700}
    svg text.mark-detected{fill:#9a6700}
    svg line.mark-first-healthy{stroke:#2f9e58}
    svg text.mark-first-healthy{fill:#1f7a3d}
    svg line.mark-stable{stroke:#1f7a3d}
    svg text.mark-stable{fill:#1f7a3d}
    svg line.mark-breach{stroke:#7a1fa2}
    svg text.mark-breach{fill:#7a1fa2}
    svg text.mark-label{font-weight:600}
    svg .track{fill:#eef1f5}
    svg .bar.met{fill:#2f9e58}
    svg .bar.missed{fill:#c62f22}
    svg .bar.unset{fill:#8a94a3}
    svg .bar.segment-detection{fill:#d4a017}
    svg .segment-label{fill:#fff;font-weight:600}
    svg .bar-label{font-weight:700;fill:#1d2430;font-size:13px}
    svg .bar-value{font-weight:700;font-size:13px}
    svg .bar-value.met{fill:#1f7a3d}
    svg .bar-value.missed{fill:#b42318}
    svg .objective-line{stroke:#1d2430;stroke-width:2;stroke-dasharray:5 3}
    svg .objective-label{fill:#1d2430}
    .legend{font-size:12px;color:var(--muted);margin:4px 0 10px}
    .legend span{margin-right:14px;white-space:nowrap}
    .swatch{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle;border-radius:2px}
    ul.actions{list-style:none;padding:0}
    ul.actions li{border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:4px;padding:8px 12px;margin:6px 0}
    .signoff td{height:42px}
    pre{background:#f3f5f8;border:1px solid var(--line);padding:10px 12px;border-radius:4px;overflow-x:auto;white-space:pre-wrap}
    footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
    @media print{body{background:#fff}main{max-width:none;padding:0}h2{break-after:avoid}figure,table,.card{break-inside:avoid}}
    """
}
