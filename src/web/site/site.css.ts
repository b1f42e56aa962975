/** The site's one stylesheet (served from /assets/site.css, cached by browsers); no inline styles, so the CSP can forbid them. */
export const SITE_CSS = `
:root{--ink:#1b1b1b;--muted:#555;--line:#d0d0d0;--accent:#8a1c1c;--accent-ink:#fff;--bg:#fff;--soft:#f4f1ec;--focus:#1a5fb4}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;line-height:1.5;color:var(--ink);background:var(--bg)}
body{margin:0}
a{color:#0b4f8a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site{background:var(--accent);color:var(--accent-ink)}
header.site .bar{max-width:64rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
header.site a{color:var(--accent-ink)}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
nav.main ul,nav.langs ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav.langs a[aria-current]{font-weight:700;text-decoration:none;border-bottom:2px solid currentColor}
main{max-width:64rem;margin:0 auto;padding:1rem}
footer.site{max-width:64rem;margin:2rem auto 0;padding:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
.notice{background:#fff4d6;border:1px solid #c9a227;padding:.5rem 1rem;margin:0 0 1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.count{font-size:3.5rem;font-weight:800;line-height:1;color:var(--accent);display:block}
.lead{font-size:1.15rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:1rem;margin:1rem 0;padding:0;list-style:none}
.figures li{background:var(--soft);padding:.75rem 1rem}
.figures strong{display:block;font-size:1.6rem}
figure.chart{margin:1rem 0}
figure.chart svg{width:100%;height:auto;display:block}
figure.chart figcaption{color:var(--muted);font-size:.9rem}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2}
.chart .area{fill:#8a1c1c22}
.chart .axis{stroke:#767676;stroke-width:1}
.chart .grid{stroke:#e6e6e6;stroke-width:1}
.chart text{font-size:11px;fill:#333}
.chart .deal{stroke:#1a5fb4;stroke-width:1.5;stroke-dasharray:4 3}
.chart .arrests{fill:#c9a227}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
form.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;align-items:end;background:var(--soft);padding:1rem;margin:0 0 1rem}
form.filters label{display:block;font-weight:600;font-size:.9rem}
form.filters input,form.filters select{width:100%;padding:.45rem;font:inherit;border:1px solid #767676;background:#fff}
button,.button{font:inherit;padding:.5rem 1rem;background:var(--accent);color:var(--accent-ink);border:0;cursor:pointer;text-decoration:none;display:inline-block}
.pager{display:flex;gap:1rem;justify-content:space-between;margin:1rem 0}
.status{white-space:nowrap}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
ol.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}
ol.timeline li{padding:0 0 .75rem 1rem}
ol.timeline time{font-weight:600;display:block}
.address{white-space:pre-line;background:var(--soft);padding:.75rem 1rem;font-style:normal}
.muted{color:var(--muted)}
img.photo{max-width:12rem;height:auto;float:right;margin:0 0 1rem 1rem}
.map svg{width:100%;max-width:40rem;height:auto}
.map .border{fill:#f4f1ec;stroke:#767676}
.map circle{fill:#8a1c1ccc;stroke:#fff}
.map text{font-size:10px;fill:#333}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:40rem){.count{font-size:2.6rem}th,td{padding:.35rem .3rem}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}img.photo{float:none;margin:0 0 1rem}}
td.letters{white-space:pre-line}
pre.code{background:var(--soft);padding:.75rem 1rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
iframe.embed-preview{border:1px solid var(--line);max-width:100%}
body.embed{margin:0;padding:.75rem 1rem;text-align:center;background:var(--bg)}
body.embed .embed-count{margin:0 0 .25rem;font-size:1.05rem}
body.embed .embed-count a{color:var(--ink);text-decoration:none}
body.embed .embed-count a:hover .count,body.embed .embed-count a:focus-visible .count{text-decoration:underline}
body.embed .muted{margin:0;font-size:.8rem}
main{overflow-wrap:break-word}
ul.codes{margin:0;padding-left:1.1rem}
ul.downloads li{margin:.3rem 0}
`;
