"""The style sheet and script inlined into every HTML report (`html.py`).

Inline so the report is one file that works from file:// with nothing fetched. The page is
a plain table in blocks laid out as they come into view, and the script only counts the
doubtful rows on load, so a book-length report (the Bible pair, about 5,000 rows) shows in
a fraction of a second (benchmarks/report.py).
"""

CSS = """
:root{--bad:#c62828;--doubt:#fff3e0;--line:#ddd;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif}
body{margin:0;color:#222;background:#fff;line-height:1.45}
#bar{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:.6em;align-items:center;padding:.45em 1em;background:#263238;color:#fff;font-size:.92em}
#bar b{margin-right:.6em}
#bar button{font:inherit;padding:.15em .7em;border:1px solid #90a4ae;border-radius:4px;background:#37474f;color:#fff;cursor:pointer}
#bar button:hover{background:#455a64}
#bar kbd{font:inherit;font-size:.85em;border:1px solid #90a4ae;border-radius:3px;padding:0 .3em}
#where{min-width:9em}
.key{display:flex;gap:.3em;align-items:center;margin-left:auto}
.key span{padding:0 .45em;border-radius:3px;color:#222}
main{padding:0 1em 2em}
section.doc{margin-top:1.2em}
h1,h2{font-size:1.25em;margin:.4em 0}
table.figures{border-collapse:collapse;font-size:.9em;margin:.3em 0 .8em}
table.figures th{text-align:left;font-weight:600;padding:.1em 1.2em .1em 0;color:#455a64;white-space:nowrap}
table.figures td{padding:.1em 1.2em .1em 0}
table.figures code{font-size:.85em;word-break:break-all}
table.pairs{width:100%;border-collapse:collapse;table-layout:fixed}
table.head{position:sticky;top:2.55em;z-index:1}
table.pairs th{background:#eceff1;text-align:left;font-weight:600;padding:.3em .5em}
.chunk{content-visibility:auto}
table.pairs td{padding:.3em .5em;border-top:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
col.n{width:3.5em}col.s{width:4.2em}col.t{width:3.2em}
td.n,td.t{color:#78909c;font-size:.85em}
td.t .note{color:#bf360c;font-size:.9em;margin-top:.2em}
td.s{font-variant-numeric:tabular-nums;font-size:.9em}
.q0 td.s,.key .q0{background:#ef9a9a}.q1 td.s,.key .q1{background:#ffcc80}.q2 td.s,.key .q2{background:#fff59d}
.q3 td.s,.key .q3{background:#dcedc8}.q4 td.s,.key .q4{background:#c8e6c9}
tr.doubt{background:var(--doubt)}
tr.doubt td.n{box-shadow:inset 4px 0 var(--bad);color:var(--bad);font-weight:600}
td.none{background:repeating-linear-gradient(135deg,#fafafa 0 6px,#f0f0f0 6px 12px)}
td.none::before{content:"(no counterpart)";color:#9e9e9e;font-style:italic;font-size:.85em}
tr.current{outline:3px solid #1565c0;outline-offset:-3px}
body.only-doubt tr[data-confidence]:not(.doubt),body.only-doubt .chunk:not(.doubt){display:none}
body.only-doubt .chunk{content-visibility:visible}
nav#index{padding:.5em 1em;border-bottom:1px solid var(--line);font-size:.9em}
nav#index table{border-collapse:collapse}
nav#index td,nav#index th{padding:.05em 1em .05em 0;text-align:left}
body.batch{display:flex;flex-direction:column}
body.batch #bar{order:-2}
body.batch nav#index{order:-1}
"""

# Steps through the doubtful rows (button or key), filters to them, keeps a counter.
# Rows are looked up on first use: nothing runs while a long page loads.
SCRIPT = r"""
(function(){
  var rows=null, at=-1, where=document.getElementById('where'), only=document.getElementById('only');
  function doubtful(){ if(!rows){ rows=document.querySelectorAll('tr.doubt'); } return rows; }
  function show(){ var r=doubtful(); where.textContent=(at<0?'':(at+1)+' of ')+r.length+' doubtful'; }
  function go(step){
    var r=doubtful(); if(!r.length){ show(); return; }
    if(at>=0){ r[at].classList.remove('current'); }
    at=(at<0 ? (step>0?0:r.length-1) : (at+step+r.length)%r.length);
    r[at].classList.add('current');
    r[at].scrollIntoView({block:'center'});
    if(history.replaceState){ history.replaceState(null,'','#'+r[at].id); }
    show();
  }
  function filter(on){ only.checked=on; document.body.classList.toggle('only-doubt',on); if(at>=0){ doubtful()[at].scrollIntoView({block:'center'}); } }
  document.getElementById('next').addEventListener('click',function(){ go(1); });
  document.getElementById('prev').addEventListener('click',function(){ go(-1); });
  only.addEventListener('change',function(){ filter(only.checked); });
  document.addEventListener('keydown',function(e){
    if(e.ctrlKey||e.metaKey||e.altKey){ return; }
    var tag=(e.target&&e.target.tagName)||''; if(tag==='INPUT'&&e.target.type!=='checkbox'||tag==='TEXTAREA'){ return; }
    if(e.key==='n'||e.key==='j'){ go(1); e.preventDefault(); }
    else if(e.key==='p'||e.key==='k'){ go(-1); e.preventDefault(); }
    else if(e.key==='d'){ filter(!only.checked); e.preventDefault(); }
  });
  window.addEventListener('load',show);
})();
"""
