/** The report's only stylesheet, inlined in a <style> element (the CSP allows inline styles only). */
export const REPORT_CSS = `
:root {
  --ink: #0f172a; --ink-2: #334155; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #ffffff;
  --accent: #1d4ed8; --natt: #7c3aed; --nat: #b45309; --nat-bg: #fff7ed; --capture: #ea580c;
  --ok: #15803d; --bad: #b91c1c;
  --error: #b91c1c; --error-bg: #fef2f2; --warning: #b45309; --warning-bg: #fffbeb;
  --note: #1d4ed8; --note-bg: #eff6ff; --chat: #475569; --chat-bg: #f1f5f9;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; font: 14px/1.5 var(--sans); color: var(--ink); }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px; }
header.top { background: #0f172a; color: #e2e8f0; margin-bottom: 24px; }
header.top .inner { max-width: 1120px; margin: 0 auto; padding: 20px 24px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header.top h1 { font-size: 20px; margin: 0; color: #fff; letter-spacing: .2px; }
header.top .file { font-family: var(--mono); font-size: 13px; color: #cbd5e1; word-break: break-all; }
header.top .meta { margin-left: auto; font-size: 12px; color: #94a3b8; }
h2 { font-size: 17px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 18px 0 8px; }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.card .n { font-size: 24px; font-weight: 650; }
.card .l { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.pills { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.sev-error.pill { color: var(--error); background: var(--error-bg); }
.sev-warning.pill { color: var(--warning); background: var(--warning-bg); }
.sev-note.pill { color: var(--note); background: var(--note-bg); }
.sev-chat.pill { color: var(--chat); background: var(--chat-bg); }
.pill.nat { color: var(--nat); background: var(--nat-bg); }
.pill.ok { color: var(--ok); background: #f0fdf4; }
.pill.plain { color: var(--ink-2); background: var(--chat-bg); }
.headline { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; padding: 10px 14px; margin: 12px 0 0; }
section.sa { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px; margin: 18px 0; }
section.sa > header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
section.sa > header .spis { font-family: var(--mono); font-size: 13px; color: var(--ink-2); }
section.sa > header .span { margin-left: auto; color: var(--muted); font-size: 12px; }
.verdict { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; margin-top: 14px; }
.verdict div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.verdict dt { font-size: 11.5px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.verdict dd { margin: 2px 0 0; font-weight: 550; }
.verdict dd small { display: block; font-weight: 400; color: var(--ink-2); }
ul.reasons { margin: 6px 0 0; padding-left: 18px; color: var(--ink-2); }
ul.reasons li { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; background: var(--card); font-size: 13px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 11.5px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); background: #f1f5f9; }
tbody tr:nth-child(even) td { background: #fbfdff; }
.table-wrap { border: 1px solid var(--line); border-radius: 10px; overflow: hidden; overflow-x: auto; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ladder-wrap { margin-top: 10px; border: 1px solid var(--line); border-radius: 10px; overflow-x: auto; background: #fff; }
svg.ladder { display: block; max-width: 100%; height: auto; font-family: var(--sans); }
svg.ladder .box { fill: #fff; stroke: #94a3b8; stroke-width: 1.2; }
svg.ladder .nat .box { fill: var(--nat-bg); stroke: #f59e0b; }
svg.ladder .life { stroke: #cbd5e1; stroke-width: 2; }
svg.ladder .nat .life { stroke: #f59e0b; stroke-dasharray: 5 4; stroke-width: 1.6; }
svg.ladder .head { font-size: 13.5px; font-weight: 650; text-anchor: middle; fill: var(--ink); }
svg.ladder .nat .head { fill: var(--nat); }
svg.ladder .headsub { font-size: 11.5px; text-anchor: middle; fill: var(--ink-2); font-family: var(--mono); }
svg.ladder .capture line { stroke: var(--capture); stroke-width: 1.6; stroke-dasharray: 2 4; }
svg.ladder .capture rect { fill: var(--capture); }
svg.ladder .capture text { fill: #fff; font-size: 11px; font-weight: 650; text-anchor: middle; }
svg.ladder .hit { fill: transparent; }
svg.ladder .msg:hover .hit, svg.ladder .msg:target .hit { fill: #eff6ff; }
svg.ladder .gut { font-size: 12px; text-anchor: end; fill: var(--ink-2); font-weight: 600; font-variant-numeric: tabular-nums; }
svg.ladder .gut.time { font-weight: 400; fill: var(--muted); font-size: 11px; }
svg.ladder .head-gut { font-size: 10.5px; font-weight: 600; fill: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
svg.ladder .arrow { stroke-width: 2; }
svg.ladder .arrow.ike { stroke: var(--accent); }
svg.ladder .arrow.natt { stroke: var(--natt); }
svg.ladder .arrow.bad { stroke: var(--bad); }
svg.ladder .arrow.esp { stroke: #0f766e; stroke-dasharray: 7 4; stroke-width: 1.6; }
svg.ladder .arrow.keepalive { stroke: #64748b; stroke-dasharray: 2 4; stroke-width: 1.6; }
svg.ladder .arrow.icmp { stroke: var(--bad); stroke-dasharray: 1 3; stroke-width: 2; stroke-linecap: round; }
svg.ladder .ah.icmp path { fill: var(--bad); }
svg.ladder .lbl.icmp { fill: var(--bad); }
svg.ladder .ah path { stroke: none; }
svg.ladder .ah.ike path { fill: var(--accent); }
svg.ladder .ah.natt path { fill: var(--natt); }
svg.ladder .ah.bad path { fill: var(--bad); }
svg.ladder .ah.esp path { fill: #0f766e; }
svg.ladder .ah.keepalive path { fill: #64748b; }
svg.ladder .xing { fill: #fff; stroke: #f59e0b; stroke-width: 1.6; }
svg.ladder .lbl, svg.ladder .sub { text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: 5px; stroke-linejoin: round; }
svg.ladder .msg:hover .lbl, svg.ladder .msg:hover .sub, svg.ladder .msg:target .lbl, svg.ladder .msg:target .sub { stroke: #eff6ff; }
svg.ladder .lbl { font-size: 13px; font-weight: 600; fill: var(--ink); }
svg.ladder .lbl.traffic { font-weight: 500; fill: var(--ink-2); font-size: 12.5px; }
svg.ladder .sub { font-size: 11.5px; fill: var(--ink-2); font-family: var(--mono); }
svg.ladder .port { font-weight: 700; fill: var(--ink); }
svg.ladder .natt .port { fill: var(--natt); }
svg.ladder .float { fill: var(--natt); font-weight: 700; }
svg.ladder .muted { fill: var(--muted); font-weight: 400; }
svg.ladder .ok { fill: var(--ok); font-weight: 700; }
svg.ladder .bad { fill: var(--bad); font-weight: 700; }
svg.ladder .fmark circle { stroke: #fff; stroke-width: 1.5; }
svg.ladder .fmark text { fill: #fff; font-size: 10px; font-weight: 700; text-anchor: middle; }
svg.ladder .fmark.sev-error circle { fill: var(--error); }
svg.ladder .fmark.sev-warning circle { fill: #d97706; }
svg.ladder .fmark.sev-note circle { fill: var(--note); }
svg.ladder .fmark.sev-chat circle { fill: #94a3b8; }
svg.ladder .fref { font-size: 11.5px; fill: var(--ink-2); font-family: var(--mono); }
svg.ladder .fref.sev-error { fill: var(--error); }
svg.ladder .fref.sev-warning { fill: var(--warning); }
svg.ladder .fref.sev-note { fill: var(--note); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 12px; color: var(--ink-2); margin-top: 8px; }
.legend span::before { content: ""; display: inline-block; width: 22px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 6px; }
.legend .l-ike::before { border-color: var(--accent); }
.legend .l-natt::before { border-color: var(--natt); }
.legend .l-esp::before { border-color: #0f766e; border-top-style: dashed; }
.legend .l-ka::before { border-color: #64748b; border-top-style: dotted; }
.legend .l-cap::before { border-color: var(--capture); border-top-style: dotted; }
.legend .l-icmp::before { border-color: var(--bad); border-top-style: dotted; }
.findings .group { margin: 14px 0; }
.finding { background: var(--card); border: 1px solid var(--line); border-left-width: 4px; border-radius: 8px; padding: 8px 12px; margin: 8px 0; }
.finding.sev-error { border-left-color: var(--error); }
.finding.sev-warning { border-left-color: #f59e0b; }
.finding.sev-note { border-left-color: var(--note); }
.finding.sev-chat { border-left-color: #94a3b8; }
.finding .fid { font-family: var(--mono); font-weight: 650; }
.finding .fno { display: inline-block; min-width: 30px; font-weight: 700; color: var(--muted); }
.finding .subject { color: var(--ink-2); font-family: var(--mono); font-size: 12.5px; }
.finding .msgtext { margin: 3px 0; }
.finding .meta { font-size: 12px; color: var(--muted); }
.finding .meta a { color: var(--accent); text-decoration: none; font-variant-numeric: tabular-nums; }
.finding .meta a:hover { text-decoration: underline; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 36px; border-top: 1px solid var(--line); padding-top: 12px; }
@media (max-width: 760px) { .verdict { grid-template-columns: 1fr; } }
@media print { header.top { background: none; color: var(--ink); } header.top h1 { color: var(--ink); } section.sa { break-inside: avoid; } }
`;
