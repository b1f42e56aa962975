/** The workspace's stylesheet, on top of the site's (served from /admin/assets/admin.css; no inline styles). */
export const ADMIN_CSS = `
header.site.admin{background:#23395b}
.who{max-width:64rem;margin:0 auto;padding:.25rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:flex-end;font-size:.9rem;color:var(--muted)}
form.inline{display:inline}
button.link{background:none;color:#0b4f8a;text-decoration:underline;padding:0}
button.secondary,.button.secondary{background:#fff;color:var(--ink);border:1px solid #767676}
.done{background:#e3f4e1;border:1px solid #4a8f3f;padding:.5rem 1rem}
.errors{background:#fde8e8;border:1px solid #b42318;padding:.5rem 1rem;margin:0 0 1rem}
.errors p{margin:.25rem 0;font-weight:600}
.warning{background:#fff4d6;border:1px solid #c9a227;padding:.5rem 1rem;margin:0 0 1rem}
form.record{display:grid;gap:.75rem;max-width:48rem}
fieldset{border:1px solid var(--line);padding:.75rem 1rem;margin:0}
legend{font-weight:700;padding:0 .25rem}
.field label{display:block;font-weight:600;font-size:.95rem}
.field .hint{display:block;color:var(--muted);font-size:.85rem}
.field input,.field select,.field textarea{width:100%;padding:.45rem;font:inherit;border:1px solid #767676;background:#fff}
.field input[type=checkbox],.field input[type=radio]{width:auto}
.check label{font-weight:400;display:inline}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem .75rem}
.names .name-row{border-bottom:1px dashed var(--line);padding:.5rem 0}
.suggestions{background:var(--soft);padding:.5rem 1rem;margin:.5rem 0;font-size:.95rem}
.suggestions ul{margin:.25rem 0;padding-left:1.2rem}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem;list-style:none;padding:0;margin:1rem 0}
.cards li{background:var(--soft);padding:.75rem 1rem}
.cards strong{display:block;font-size:1.6rem}
.side-by-side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:40rem){.side-by-side{grid-template-columns:1fr}}
ins{background:#e3f4e1;text-decoration:none}
del{background:#fde8e8}
.diff td{font-family:ui-monospace,monospace;font-size:.85rem;white-space:pre-wrap;word-break:break-word}
.badge{display:inline-block;padding:0 .4rem;border:1px solid var(--line);font-size:.8rem;border-radius:.2rem}
.badge.restricted{border-color:#b42318;color:#b42318}
.badge.internal{border-color:#767676}
.badge.public{border-color:#4a8f3f;color:#2f6b27}
progress{width:100%}
code.hash{word-break:break-all}
ul.plain{list-style:none;padding:0;margin:.25rem 0}
.flag{display:inline-block;padding:0 .4rem;font-size:.8rem;font-weight:600;border:1px solid var(--line);border-radius:.2rem}
.flag.matched{border-color:#4a8f3f;color:#2f6b27}
.flag.uncertain,.flag.unmatched{border-color:#b42318;color:#b42318;background:#fff4d6}
fieldset.line.uncertain,fieldset.line.unmatched{border-color:#c9a227;border-width:2px}
table.problems td:first-child,table.preview td:first-child{white-space:nowrap}
table.preview td{font-size:.85rem}
`;
