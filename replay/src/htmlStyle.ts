/**
 * The report's inline CSS. Printing: an A4 page with 12 mm margins leaves 186 mm (about 703 CSS
 * px); tables are fixed-layout at 100% and wrap anything long (event ids, JSON), so nothing is
 * wider than the page, and the map scales to the width. Table heads repeat on every printed page.
 */
export const reportStyle = `body{font:13px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ddd}h3{font-size:1rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{background:#f1f1ec}thead{display:table-header-group}tr,tbody.row{break-inside:avoid}
td.ids{font-size:10px;color:#555;border-top:0}caption{text-align:left;color:#777;font-size:11px;caption-side:top}
i{font-style:normal;color:#777}b{white-space:nowrap}
code,.mono{font-family:ui-monospace,monospace;font-size:11px;word-break:break-all;overflow-wrap:anywhere}
.muted{color:#777}.small{font-size:11px}.bad{color:#b00020;font-weight:bold}.ok{color:#1b7a3a;font-weight:bold}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
.sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#b35c00;font-weight:bold}.sev-low{color:#555}
.plate{font-weight:bold;white-space:nowrap}.map svg{display:block;width:100%;max-width:100%;height:auto}
@page{size:A4;margin:12mm}
@media print{body{margin:0;padding:0;max-width:none;font-size:8.5pt}h2{break-after:avoid}h3{break-after:avoid}.map{break-inside:avoid}}`;
