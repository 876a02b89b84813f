extension ConformanceReport {
    /// The page's stylesheet: self-contained; lines wrap between words and a word longer than
    /// its column scrolls instead of breaking; blocks kept whole when printed.
    static let stylesheet = """
    body{font:14px/1.45 system-ui,sans-serif;margin:0 2em 2em;color:#222}
    header{border-bottom:1px solid #ccc;padding-bottom:.6em}
    h1{margin:.6em 0 .3em}
    header p{margin:.2em 0}
    input.view{position:absolute;opacity:0;pointer-events:none}
    nav.views{margin:.6em 0 0}
    nav.views label,p.empty label{display:inline-block;padding:.15em .8em;border:1px solid #bbb;border-radius:1em;cursor:pointer;background:#f6f6f6}
    p.empty{display:none;color:#555}
    table{border-collapse:collapse}
    table.summary{margin:.6em 0}
    .summary th,.summary td{border:1px solid #ddd;padding:.15em .7em;text-align:right;font-weight:normal}
    .summary thead th{background:#f4f4f4;font-weight:600;text-align:center}
    .summary th.file{text-align:left}
    .summary tfoot th,.summary tfoot td{font-weight:600}
    .summary tr.has-fails th.file a{color:#b02a2a;font-weight:600}
    td.count.zero,td.count.absent{color:#aaa}
    td.count.conforms{color:#2a7d2a}td.count.diverges{color:#8a6000}td.count.fails{color:#b02a2a;background:#fde2e2}
    td.count.skipped{color:#555}td.count.invalid{color:#6a1b9a;text-align:center}
    h2{border-bottom:1px solid #ccc;margin:1.4em 0 .4em;font-size:1.2em}
    h2 a{color:inherit;text-decoration:none}
    h2 a.source,a.line{font-size:12px;font-weight:normal;color:#1a5fb4;text-decoration:underline}
    details.block{border:1px solid #ddd;border-left:4px solid #777;border-radius:3px;margin:.35em 0;padding:0 .6em}
    details.block>summary{cursor:pointer;padding:.25em 0}
    details.block.conforms{border-left-color:#2a7d2a}details.block.diverges{border-left-color:#b07b00}
    details.block.fails{border-left-color:#b02a2a}
    details.more{margin:.3em 0 .5em}details.more>summary{cursor:pointer;color:#555;font-size:12px}
    .note{color:#555}
    .badge{font-size:12px;padding:1px 6px;border-radius:3px;color:#fff;background:#777;white-space:nowrap}
    .badge.conforms{background:#2a7d2a}.badge.diverges{background:#b07b00}.badge.fails{background:#b02a2a}
    table.sbs{width:100%;table-layout:fixed;font:12px/1.35 ui-monospace,monospace;margin:.4em 0}
    .sbs col.ln{width:3.2em}
    .sbs td,.sbs th{border:1px solid #ddd;padding:1px 6px;vertical-align:top;text-align:left;white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto;scrollbar-width:thin}
    .sbs tr.cmd th{background:#f4f4f4}
    .sbs td.ln{text-align:right;color:#888}.sbs td.ln a{color:inherit}
    .sbs tr.diff td:not(.ln),.sbs td.diff{background:#fde2e2}
    .sbs tr.gap td{color:#777;font-style:italic}
    .sbs td.message{font-family:system-ui,sans-serif}
    .ph{background:#e8eefc;color:#1a3d8f;border:1px solid #b9c8f0;border-radius:3px;padding:0 2px;white-space:nowrap}
    .ph.tag,.ph.ellipsis{background:#eee;color:#555;border-color:#ccc}
    pre.problem{background:#fde2e2;padding:.5em;white-space:pre-wrap}
    p.skipped-file{color:#555}
    @media print{body{margin:0}input.view,nav.views{display:none}details.block{break-inside:avoid}}
    """
}
