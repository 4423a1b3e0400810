/* The aligner report's script: steps through doubtful rows, and corrects the alignment.
 *
 * Plain JavaScript, no library, nothing fetched: the page works from file:// and can be
 * mailed. On load it only counts the doubtful rows; the first correction reads the rows
 * into a model: per document, its rows in order, each row a list of source and of
 * translation sentences (0-based index, text, the row it stood in when the page was
 * written). Every change replaces a few consecutive rows with new ones, so undo and redo
 * put back one or the other, and the sentences of each side stay in order, each once.
 * Scripts drive the same operations through window.alignerReview (rows counted from 0
 * across the page). */
(function () {
  'use strict';

  // -- text, as aligner.document.join_sentences joins it ----------------------------
  // Python's str.strip() white space (str.isspace), which JavaScript's trim() is not.
  var WS = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
  var EDGES = new RegExp('^' + WS + '+|' + WS + '+$', 'g');
  var BLANK = new RegExp('^' + WS + '*$');
  function strip(text) { return text.replace(EDGES, ''); }
  function closeUp(lang) { var base = String(lang).split(/[-_]/)[0].toLowerCase(); return base === 'zh' || base === 'ja'; }
  /* A side's text: its sentences stripped and joined (no space in Chinese), empty ones left out. */
  function joined(lang, sentences) {
    var parts = [];
    for (var k = 0; k < sentences.length; k++) { var t = strip(sentences[k].t); if (t) { parts.push(t); } }
    return parts.join(closeUp(lang) ? '' : ' ');
  }
  function esc(text) { return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }

  var body = document.body;
  var ADDED = 'added';  // the type of a row of text the translation added (writers/jsonl.ADDED_TYPE)
  var threshold = parseFloat(body.getAttribute('data-threshold'));
  if (!(threshold >= 0)) { threshold = 0.5; }
  var where = document.getElementById('where');
  var only = document.getElementById('only');
  var statusLine = document.getElementById('status');
  var keysDialog = document.getElementById('keys');
  var bar = document.getElementById('bar');

  // -- the model ------------------------------------------------------------------------
  var docs = null;      // built on first use (build)
  var focusRow = null;  // the focused row object (after build), or null
  var focusEl = null;   // its element (also before build: stepping through doubtful rows)
  var log = [], done = 0, savedAt = 0;  // the changes made, how many are in effect, how many when saved
  var mode = null;      // {kind: 'split'|'edit', row, ks, kt}

  function build() {
    if (docs) { return docs; }
    docs = [];
    var sections = document.querySelectorAll('section.doc');
    for (var d = 0; d < sections.length; d++) {
      var sec = sections[d], info = {};
      try { info = JSON.parse(sec.getAttribute('data-doc') || '{}'); } catch (e) { info = {}; }
      var doc = {el: sec, info: info, rows: [], orig: [], text: [{}, {}],
                 chunks: Array.prototype.slice.call(sec.querySelectorAll('table.pairs:not(.head)'))};
      var trs = sec.querySelectorAll('tr[data-confidence]');
      for (var k = 0; k < trs.length; k++) {
        var tr = trs[k], c = tr.cells;
        var src = readSide(c[1], k, doc.text[0]), tgt = readSide(c[2], k, doc.text[1]);
        var score = tr.getAttribute('data-confidence'), added = tr.getAttribute('data-type') === ADDED;
        doc.orig.push({src: src, tgt: tgt, srcText: c[1].textContent, tgtText: c[2].textContent, added: added,
                       score: score === '' || isNaN(+score) ? null : +score, note: c[2].getAttribute('data-note') || ''});
        var row = {doc: doc, src: src, tgt: tgt, status: tr.getAttribute('data-status') || '', el: tr, id: tr.id,
                   added: added ? k : null};
        tr._row = row;
        doc.rows.push(row);
        if (tr === focusEl) { focusRow = row; }
      }
      docs.push(doc);
    }
    return docs;
  }
  function readSide(cell, o, texts) {
    var spans = cell.querySelectorAll('span[data-i]'), out = [];
    for (var k = 0; k < spans.length; k++) {
      var i = +spans[k].getAttribute('data-i'), t = spans[k].textContent;
      texts[i] = t;
      out.push({i: i, t: t, o: o});
    }
    return out;
  }

  /* What a row is now, measured against the rows the page was written with: `same` when its
   * sentences are exactly those of one row as written (its score then still holds), each
   * side's text as written unless a sentence of it was edited, and `touched` when the
   * reviewer changed it in any way (its sentences, a text, its mark). */
  function shape(row) {
    var doc = row.doc;
    if (row.added !== null) {  // text the translation added: in no bead, as written
      var text = doc.orig[row.added];
      return {same: true, orig: text, origins: [], edited: false, touched: !!row.status, src: text.srcText,
              tgt: text.tgtText, score: text.score, added: true};
    }
    var o = origins(row), orig = o.length === 1 ? doc.orig[o[0]] : null;
    var same = orig !== null && sameIdx(row.src, orig.src) && sameIdx(row.tgt, orig.tgt);
    var srcKept = same && unedited(doc, row.src, 0), tgtKept = same && unedited(doc, row.tgt, 1);
    var edited = !srcKept || !tgtKept;
    return {same: same, orig: orig, origins: o, edited: edited, touched: edited || !!row.status,
            src: srcKept ? orig.srcText : joined(doc.info.src_lang, row.src),
            tgt: tgtKept ? orig.tgtText : joined(doc.info.tgt_lang, row.tgt),
            score: same ? orig.score : null};
  }
  function unedited(doc, sents, side) {
    for (var k = 0; k < sents.length; k++) { if (sents[k].t !== doc.text[side][sents[k].i]) { return false; } }
    return true;
  }
  function sameIdx(a, b) {
    if (a.length !== b.length) { return false; }
    for (var k = 0; k < a.length; k++) { if (a[k].i !== b[k].i) { return false; } }
    return true;
  }
  function origins(row) {
    var seen = {}, out = [];
    [row.src, row.tgt].forEach(function (side) {
      side.forEach(function (s) { if (!seen[s.o]) { seen[s.o] = true; out.push(s.o); } });
    });
    return out.sort(function (a, b) { return a - b; });
  }
  function beadText(src, tgt) {
    return '[' + src.map(function (s) { return s.i; }).join(',') + ']:[' + tgt.map(function (s) { return s.i; }).join(',') + ']';
  }

  // -- where rows are -----------------------------------------------------------------------
  function locate(i) {
    var ds = build();
    if (typeof i !== 'number' || i < 0 || i % 1) { throw new RangeError('row ' + i + ': rows are counted from 0'); }
    var j = i;
    for (var d = 0; d < ds.length; d++) {
      if (j < ds[d].rows.length) { return {doc: ds[d], k: j}; }
      j -= ds[d].rows.length;
    }
    throw new RangeError('row ' + i + ': the page has ' + total() + ' rows (counted from 0)');
  }
  function total() { return build().reduce(function (n, d) { return n + d.rows.length; }, 0); }
  function indexOf(row) {
    var n = 0, ds = build();
    for (var d = 0; d < ds.length; d++) {
      if (ds[d] === row.doc) { var k = ds[d].rows.indexOf(row); return k < 0 ? -1 : n + k; }
      n += ds[d].rows.length;
    }
    return -1;
  }
  function rowOf(el) { build(); return el ? el._row || null : null; }

  // -- rendering a row --------------------------------------------------------------------
  function band(score) { return score === null || score !== score ? 0 : Math.min(Math.max(Math.floor(score * 5), 0), 4); }
  function numbers(sents) { return sents.map(function (s) { return s.i + 1; }).join(',') || '-'; }
  function cellHtml(lang, sents, text, cuts, cut, note, added) {
    var sep = closeUp(lang) ? '' : ' ', inner = added ? esc(text) : '';
    for (var k = 0; k < sents.length; k++) {
      if (cuts) { inner += cutButton(cuts, k, cut); }
      var t = strip(sents[k].t);
      inner += (k && t && !cuts ? sep : '') + '<span data-i="' + sents[k].i + '"' + (cuts && k >= cut ? ' class="after"' : '') + '>' + esc(t) + '</span>';
    }
    if (cuts) { inner += cutButton(cuts, sents.length, cut); }
    var noted = note ? ' data-note="' + esc(note) + '"' : '';  // shown after the text, not part of it
    return BLANK.test(text) ? '<td class="none"' + noted + '>' + inner + '</td>' : '<td lang="' + esc(lang) + '"' + noted + '>' + inner + '</td>';
  }
  function cutButton(side, k, cut) {
    return '<button type="button" class="cut' + (k === cut ? ' on' : '') + '" data-side="' + side + '" data-k="' + k +
      '" title="cut here: ' + k + ' ' + (side === 'src' ? 'source' : 'translation') + ' sentence' + (k === 1 ? '' : 's') + ' stay in the first row">&#9986;</button>';
  }
  function render(row) {
    var doc = row.doc, info = doc.info, sh = shape(row), tr = row.el || document.createElement('tr');
    var indexed = info.indexed !== false, kind = indexed ? (sh.added ? ADDED : row.src.length + '-' + row.tgt.length) : '';
    var doubt = !sh.touched && (BLANK.test(sh.src) || BLANK.test(sh.tgt) || (sh.score !== null && sh.score < threshold));
    var cls = [];
    if (sh.score !== null && !sh.touched) { cls.push('q' + band(sh.score)); }
    if (doubt) { cls.push('doubt'); }
    if (sh.touched) { cls.push('touched'); }
    if (row.status) { cls.push('st-' + row.status); }
    if (row === focusRow) { cls.push('current'); }
    var splitting = mode && mode.kind === 'split' && mode.row === row;
    if (splitting) { cls.push('splitting'); }
    tr.className = cls.join(' ');
    tr.id = row.id;
    tr.setAttribute('data-confidence', sh.score === null ? '' : sh.score.toFixed(4));
    tr.setAttribute('data-type', kind);
    if (row.status) { tr.setAttribute('data-status', row.status); } else { tr.removeAttribute('data-status'); }
    var note = notes(row, sh);
    var title = indexed ? esc(info.src_lang + ' ' + numbers(row.src) + ' · ' + info.tgt_lang + ' ' + numbers(row.tgt)) : '';
    var scoreCell = sh.score === null ? '<span title="changed by you: no score of the aligner">&#8212;</span>' : sh.score.toFixed(2);
    tr.innerHTML = '<td class="n"' + (title ? ' title="' + title + '"' : '') + '></td>' +
      cellHtml(info.src_lang, row.src, sh.src, splitting ? 'src' : null, splitting ? mode.ks : 0, '', sh.added) +
      cellHtml(info.tgt_lang, row.tgt, sh.tgt, splitting ? 'tgt' : null, splitting ? mode.kt : 0, note, sh.added) +
      '<td class="s">' + scoreCell + '</td><td class="t">' + kind + '</td>';
    tr._row = row;
    row.el = tr;
    return tr;
  }
  function notes(row, sh) {
    if (row.added !== null) { return row.doc.orig[row.added].note; }
    var seen = {}, out = [];
    sh.origins.forEach(function (o) { var n = row.doc.orig[o].note; if (n && !seen[n]) { seen[n] = true; out.push(n); } });
    return out.join('; ');
  }
  var newIds = 0;
  function makeRow(doc, src, tgt, status, added) {
    return {doc: doc, src: src, tgt: tgt, status: status || '', el: null, id: doc.el.id + '-n' + (++newIds),
            added: added === undefined ? null : added};
  }

  /* Put `rows` in place of doc.rows[k .. k+n): the one change every operation makes. */
  function replace(doc, k, n, rows) {
    var old = doc.rows.slice(k, k + n), anchor = old[0].el, parent = anchor.parentNode, blocks = [parent];
    for (var r = 0; r < rows.length; r++) {
      if (!rows[r].el) { render(rows[r]); }
      parent.insertBefore(rows[r].el, anchor);
    }
    for (var q = 0; q < old.length; q++) {
      var gone = old[q].el;
      if (blocks.indexOf(gone.parentNode) < 0) { blocks.push(gone.parentNode); }
      gone.parentNode.removeChild(gone);
      gone.classList.remove('current');  // it may come back (undo): not as the focused row
      gone.removeAttribute('aria-current');
      gone.removeAttribute('tabindex');
    }
    Array.prototype.splice.apply(doc.rows, [k, n].concat(rows));
    renumber(doc);
    // a block with a doubtful or changed row stays in view when only those are shown
    blocks.forEach(function (tbody) {
      tbody.closest('.chunk').classList.toggle('doubt', !!tbody.querySelector('tr.doubt, tr.touched'));
    });
    doubtList = null;
    return old;
  }
  /* Each block of rows starts its row counter where the block before it ends. */
  function renumber(doc) {
    var start = 0;
    for (var c = 0; c < doc.chunks.length; c++) {
      var table = doc.chunks[c];
      if (table._start !== start) { table.style.counterReset = 'row ' + start; table._start = start; }
      start += table.tBodies[0] ? table.tBodies[0].rows.length : 0;
    }
  }

  // -- operations -----------------------------------------------------------------------------
  function check(ok, message) { if (!ok) { throw new Error(message); } }
  /* Text the translation added (a glossary, aligner.notes) is in no bead: it can be marked, not merged, split or moved into. */
  function fixed(row, i) {
    check(row.added === null, human(i) + ' is text the translation added, in no bead: it can be marked, not merged, split or moved into');
  }
  function sideName(side) {
    if (side === 'src' || side === 'source' || side === 0) { return 'src'; }
    if (side === 'tgt' || side === 'translation' || side === 'target' || side === 1) { return 'tgt'; }
    throw new Error('side ' + side + ': src or tgt');
  }
  function direction(dir) {
    if (dir === -1 || dir === 'up' || dir === 'prev' || dir === 'previous') { return -1; }
    if (dir === 1 || dir === 'down' || dir === 'next') { return 1; }
    throw new Error('direction ' + dir + ': -1 (up) or 1 (down)');
  }
  function human(i) { return 'row ' + (i + 1); }

  /* Make a change: replace rows [k, k+old) of doc by `rows`, remember it, focus `focus`. */
  function apply(doc, k, count, rows, focus, what) {
    if (mode) { leaveMode(); }
    var old = replace(doc, k, count, rows);
    log.length = done;
    if (savedAt > done) { savedAt = -1; }
    log.push({doc: doc, k: k, old: old, rows: rows, what: what});
    done = log.length;
    setFocus(rows[Math.min(focus, rows.length - 1)], true);
    say(what);
  }

  function merge(i) {
    var at = locate(i), doc = at.doc, k = at.k;
    check(k + 1 < doc.rows.length, human(i) + ' is the last row of its document: nothing to merge it with');
    var a = doc.rows[k], b = doc.rows[k + 1];
    fixed(a, i); fixed(b, i + 1);
    apply(doc, k, 2, [makeRow(doc, a.src.concat(b.src), a.tgt.concat(b.tgt))], 0, 'merged rows ' + (i + 1) + ' and ' + (i + 2));
  }
  function split(i, ks, kt) {
    var at = locate(i), doc = at.doc, row = doc.rows[at.k];
    fixed(row, i);
    check(ks === (ks | 0) && ks >= 0 && ks <= row.src.length, 'split ' + human(i) + ': k_src ' + ks + ' is not 0 to ' + row.src.length);
    check(kt === (kt | 0) && kt >= 0 && kt <= row.tgt.length, 'split ' + human(i) + ': k_tgt ' + kt + ' is not 0 to ' + row.tgt.length);
    check(ks + kt > 0 && ks + kt < row.src.length + row.tgt.length, 'split ' + human(i) + ' at ' + ks + ', ' + kt + ': one part would be empty');
    apply(doc, at.k, 1, [makeRow(doc, row.src.slice(0, ks), row.tgt.slice(0, kt)),
                         makeRow(doc, row.src.slice(ks), row.tgt.slice(kt))], 0, 'split ' + human(i));
  }
  function move(i, side, dir) {
    side = sideName(side); dir = direction(dir);
    var at = locate(i), doc = at.doc, k = at.k, row = doc.rows[k], other = doc.rows[k + dir];
    var what = side === 'src' ? 'source' : 'translation';
    check(other, human(i) + ' has no ' + (dir < 0 ? 'previous' : 'next') + ' row in its document');
    fixed(row, i); fixed(other, i + dir);
    check(row[side].length, human(i) + ' has no ' + what + ' sentence to move');
    var moved = dir < 0 ? row[side][0] : row[side][row[side].length - 1];
    var rest = dir < 0 ? row[side].slice(1) : row[side].slice(0, -1);
    var got = dir < 0 ? other[side].concat([moved]) : [moved].concat(other[side]);
    var left = side === 'src' ? makeRow(doc, rest, row.tgt) : makeRow(doc, row.src, rest);
    var into = side === 'src' ? makeRow(doc, got, other.tgt) : makeRow(doc, other.src, got);
    var empty = !left.src.length && !left.tgt.length;  // its last sentence moved: the row is gone
    var text = 'moved ' + what + ' sentence ' + (moved.i + 1) + ' ' + (dir < 0 ? 'up' : 'down') + ' to row ' + (i + dir + 1);
    if (dir < 0) { apply(doc, k - 1, 2, empty ? [into] : [into, left], empty ? 0 : 1, text); }
    else { apply(doc, k, 2, empty ? [into] : [left, into], 0, text); }
  }
  function mark(i, status) {
    var at = locate(i), row = at.doc.rows[at.k];
    status = status === null || status === undefined || status === 'none' ? '' : String(status);
    check(status === '' || status === 'ok' || status === 'wrong', 'status ' + status + ': ok, wrong or null');
    if (row.status === status) { return; }
    apply(at.doc, at.k, 1, [makeRow(at.doc, row.src, row.tgt, status, row.added)], 0,
          status ? 'marked ' + human(i) + ' ' + status : 'unmarked ' + human(i));
  }
  function editRow(i, texts, what) {
    // texts: {src: [..], tgt: [..]} new texts of the row's sentences (undefined: unchanged)
    var at = locate(i), row = at.doc.rows[at.k], changed = false;
    function side(name) {
      return row[name].map(function (s, k) {
        var t = texts[name] && texts[name][k];
        if (t === undefined || t === s.t) { return s; }
        changed = true;
        return {i: s.i, t: String(t), o: s.o};
      });
    }
    var src = side('src'), tgt = side('tgt');
    if (!changed) { return false; }
    apply(at.doc, at.k, 1, [makeRow(at.doc, src, tgt, row.status)], 0, what || 'edited ' + human(i));
    return true;
  }
  function edit(i, side, k, text) {
    side = sideName(side);
    var at = locate(i), row = at.doc.rows[at.k];
    check(k === (k | 0) && k >= 0 && k < row[side].length, 'edit ' + human(i) + ': it has no ' + side + ' sentence ' + k + ' (counted from 0)');
    check(typeof text === 'string', 'edit: the text must be a string');
    var texts = {}; texts[side] = []; texts[side][k] = text;
    editRow(i, texts);
  }
  function undo() {
    if (mode) { leaveMode(); }
    if (!done) { say('nothing to undo'); return false; }
    var h = log[--done];
    replace(h.doc, h.k, h.rows.length, h.old);
    setFocus(h.old[0], true);
    say('undone: ' + h.what);
    return true;
  }
  function redo() {
    if (mode) { leaveMode(); }
    if (done >= log.length) { say('nothing to redo'); return false; }
    var h = log[done++];
    replace(h.doc, h.k, h.old.length, h.rows);
    setFocus(h.rows[0], true);
    say('redone: ' + h.what);
    return true;
  }

  // -- saving ------------------------------------------------------------------------------
  function record(row) {
    var doc = row.doc, info = doc.info, sh = shape(row), indexed = info.indexed !== false;
    var idx = function (s) { return s.i; };
    var rec = {src: sh.src, tgt: sh.tgt,
               src_idx: indexed ? row.src.map(idx) : null, tgt_idx: indexed ? row.tgt.map(idx) : null,
               type: indexed ? (sh.added ? ADDED : row.src.length + '-' + row.tgt.length) : null,
               score: sh.score, src_lang: info.src_lang, tgt_lang: info.tgt_lang, meta: info.meta || {}};
    if (body.classList.contains('batch')) { rec.document = info.document === null || info.document === undefined ? '' : info.document; }
    rec.status = row.status || null;
    rec.origin = indexed && !sh.added ? sh.origins.map(function (o) { return beadText(doc.orig[o].src, doc.orig[o].tgt); }) : null;
    var note = notes(row, sh);
    if (note) { rec.note = note; }
    return rec;
  }
  // JSON leaves these line breaks raw; str.splitlines() and some editors split on them (as writers/jsonl.py)
  function breaks(line) { return line.replace(/[\u0085\u2028\u2029]/g, function (c) { return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4); }); }
  function exportJSONL() {
    var lines = [];
    build().forEach(function (doc) { doc.rows.forEach(function (row) { lines.push(breaks(JSON.stringify(record(row)))); }); });
    return lines.length ? lines.join('\n') + '\n' : '';
  }
  function fileName() {
    var name = decodeURIComponent((location.pathname || '').split('/').pop() || '').replace(/\.html?$/i, '');
    return (name || 'alignment') + '.corrected.jsonl';
  }
  function save() {
    if (mode) { leaveMode(); }
    var blob = new Blob([exportJSONL()], {type: 'application/x-ndjson'});
    var a = document.createElement('a'), url = URL.createObjectURL(blob);
    a.href = url; a.download = fileName(); a.style.display = 'none';
    body.appendChild(a); a.click(); body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    savedAt = done;
    say('saved ' + a.download);
    return a.download;
  }
  function dirty() { return savedAt !== done; }
  window.addEventListener('beforeunload', function (e) {
    if (docs && dirty()) { e.preventDefault(); e.returnValue = ''; return ''; }
  });

  // -- focus, doubtful rows, messages ---------------------------------------------------------
  function setFocus(row, scroll) {
    var el = row && row.el ? row.el : row;
    if (focusEl && focusEl !== el) {
      focusEl.classList.remove('current');
      focusEl.removeAttribute('aria-current');
      focusEl.removeAttribute('tabindex');
    }
    focusEl = el || null;
    focusRow = el && el._row ? el._row : (row && row.el ? row : null);
    if (!focusEl) { return; }
    focusEl.classList.add('current');
    focusEl.setAttribute('aria-current', 'true');
    // the row takes the keyboard focus too, so that a screen reader reads it
    focusEl.setAttribute('tabindex', '-1');
    var active = document.activeElement;
    if (!active || active === body || active.tagName === 'TR' || active.tagName === 'BUTTON' && !(keysDialog && keysDialog.open)) {
      focusEl.focus({preventScroll: true});
    }
    if (scroll) { focusEl.scrollIntoView({block: 'nearest'}); }
    showWhere();
  }
  var doubtList = null;
  function doubtful() { if (!doubtList) { doubtList = document.querySelectorAll('tr.doubt'); } return doubtList; }
  function before(a, b) { return !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING); }
  /* How many doubtful rows are at or before el, and whether el is one. */
  function doubtPosition(list, el) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] === el || before(list[mid], el)) { lo = mid + 1; } else { hi = mid; } }
    return {count: lo, on: lo > 0 && list[lo - 1] === el};
  }
  function showWhere() {
    var list = doubtful(), text = list.length + ' doubtful';
    if (focusEl && focusEl.classList.contains('doubt')) { text = doubtPosition(list, focusEl).count + ' of ' + text; }
    where.textContent = text;
  }
  function go(step) {
    if (mode) { leaveMode(); }
    var list = doubtful();
    if (!list.length) { showWhere(); return; }
    var idx;
    if (!focusEl || !focusEl.isConnected) { idx = step > 0 ? 0 : list.length - 1; }
    else {
      var p = doubtPosition(list, focusEl);
      idx = step > 0 ? p.count % list.length : ((p.on ? p.count - 2 : p.count - 1) + list.length) % list.length;
    }
    var el = list[idx];
    setFocus(docs ? rowOf(el) || el : el, false);
    el.scrollIntoView({block: 'center'});
    if (window.history.replaceState && el.id) { window.history.replaceState(null, '', '#' + el.id); }
    showWhere();
  }
  function step(n) {
    var ds = build(), count = total();
    if (!count) { return; }
    var i = focusRow ? indexOf(focusRow) : -1;
    i = i < 0 ? (n > 0 ? 0 : count - 1) : Math.min(Math.max(i + n, 0), count - 1);
    if (body.classList.contains('only-doubt')) {  // skip the rows the filter hides
      var j = i;
      while (j >= 0 && j < count && !visible(rowAt(j).el)) { j += n > 0 ? 1 : -1; }
      if (j >= 0 && j < count) { i = j; }
    }
    setFocus(rowAt(i), true);
    return ds;
  }
  function rowAt(i) { var at = locate(i); return at.doc.rows[at.k]; }
  function visible(el) { return el.classList.contains('doubt') || el.classList.contains('touched') || el.classList.contains('current'); }
  function filter(on) {
    only.checked = on;
    body.classList.toggle('only-doubt', on);
    if (focusEl) { focusEl.scrollIntoView({block: 'center'}); }
  }
  function say(text, error) {
    statusLine.textContent = text || '';
    statusLine.classList.toggle('error', !!error);
    statusLine.classList.toggle('dirty', !!docs && dirty());
  }

  // -- split and edit modes (keyboard and mouse) ----------------------------------------------
  function focused() {
    build();
    if (!focusRow || indexOf(focusRow) < 0) { throw new Error('no row is focused: click a row, or move to one with j/k'); }
    return indexOf(focusRow);
  }
  function startSplit() {
    var i = focused(), row = rowAt(i), n = row.src.length, m = row.tgt.length;
    fixed(row, i);
    check(n + m > 1, 'split ' + human(i) + ': it has one sentence only');
    if (mode) { leaveMode(); }
    // the first cut that leaves both parts a sentence: 1-2 gives 1-1 + 0-1, 1-1 gives 1-0 + 0-1
    var cut = [[1, 1], [1, 0], [0, 1]].filter(function (c) { return c[0] <= n && c[1] <= m && c[0] + c[1] < n + m; })[0];
    mode = {kind: 'split', row: row, ks: cut[0], kt: cut[1]};
    render(row);
    say('split ' + human(i) + ': ←/→ source cut, Shift+←/→ translation cut, Enter splits, Esc cancels');
  }
  function moveCut(side, d) {
    var row = mode.row, key = side === 'src' ? 'ks' : 'kt', max = row[side].length;
    mode[key] = Math.min(Math.max(mode[key] + d, 0), max);
    render(row);
  }
  function finishSplit() {
    split(indexOf(mode.row), mode.ks, mode.kt);  // a cut that leaves a part empty: still splitting
  }
  function startEdit(side, k) {
    var i = focused(), row = rowAt(i);
    if (mode) { leaveMode(); }
    mode = {kind: 'edit', row: row};
    var tr = row.el;
    tr.classList.add('editing');
    ['src', 'tgt'].forEach(function (name, c) {
      var cell = tr.cells[c + 1], lang = row.doc.info[name + '_lang'];
      cell.className = '';
      cell.innerHTML = '';
      row[name].forEach(function (s, n) {
        var box = document.createElement('textarea');
        box.value = s.t;
        box.lang = lang;
        box.rows = Math.max(1, Math.ceil(s.t.length / (closeUp(lang) ? 30 : 60)));
        box.setAttribute('data-side', name);
        box.setAttribute('data-k', n);
        box.setAttribute('aria-label', (name === 'src' ? 'source' : 'translation') + ' sentence ' + (s.i + 1));
        cell.appendChild(box);
      });
    });
    var boxes = tr.querySelectorAll('textarea');
    var first = tr.querySelector('textarea[data-side="' + (side || 'src') + '"][data-k="' + (k || 0) + '"]') || boxes[0];
    if (first) { first.focus(); first.setSelectionRange(first.value.length, first.value.length); }
    say('editing ' + human(i) + ': Enter keeps, Esc cancels, Tab goes to the next sentence');
  }
  function finishEdit() {
    var row = mode.row, texts = {src: [], tgt: []};
    Array.prototype.forEach.call(row.el.querySelectorAll('textarea'), function (box) {
      texts[box.getAttribute('data-side')][+box.getAttribute('data-k')] = box.value;
    });
    leaveMode();
    if (!editRow(indexOf(row), texts)) { say('no text changed'); }
  }
  /* Before another operation: keep the texts being edited, drop a split being chosen. */
  function settle() {
    if (mode && mode.kind === 'edit') { finishEdit(); } else if (mode) { leaveMode(); }
  }
  function leaveMode() {
    if (!mode) { return; }
    var row = mode.row;
    mode = null;
    if (row.el) { render(row); }
    if (row === focusRow && row.el) { row.el.classList.add('current'); }
  }

  // -- keys and clicks ---------------------------------------------------------------------------
  var OPS = {
    mergePrev: function () { var i = focused(); check(i > 0 && locate(i - 1).doc === locate(i).doc, human(i) + ' is the first row of its document'); merge(i - 1); },
    mergeNext: function () { merge(focused()); },
    split: function () { if (mode && mode.kind === 'split') { finishSplit(); } else { startSplit(); } },
    srcUp: function () { move(focused(), 'src', -1); },
    srcDown: function () { move(focused(), 'src', 1); },
    tgtUp: function () { move(focused(), 'tgt', -1); },
    tgtDown: function () { move(focused(), 'tgt', 1); },
    ok: function () { var i = focused(); mark(i, rowAt(i).status === 'ok' ? null : 'ok'); },
    wrong: function () { var i = focused(); mark(i, rowAt(i).status === 'wrong' ? null : 'wrong'); },
    edit: function () { startEdit(); },
    undo: function () { undo(); },
    redo: function () { redo(); },
    save: function () { save(); }
  };
  var KEYS = {m: 'mergeNext', M: 'mergePrev', s: 'split', '[': 'srcUp', ']': 'srcDown', '{': 'tgtUp', '}': 'tgtDown',
              o: 'ok', x: 'wrong', e: 'edit', Enter: 'edit', F2: 'edit', u: 'undo', r: 'redo'};
  function run(op) {
    try {
      if (op !== 'split' || !mode || mode.kind !== 'split') { settle(); }
      OPS[op]();
    } catch (err) { say(err.message, true); }
  }
  function help(open) {
    if (!keysDialog) { return; }
    if (open === undefined) { open = !keysDialog.open; }
    if (open && !keysDialog.open) { if (keysDialog.showModal) { keysDialog.showModal(); } else { keysDialog.setAttribute('open', ''); } }
    else if (!open && keysDialog.open) { if (keysDialog.close) { keysDialog.close(); } else { keysDialog.removeAttribute('open'); } }
  }

  document.addEventListener('keydown', function (e) {
    var t = e.target || {}, tag = t.tagName || '';
    if (mode && mode.kind === 'edit' && tag === 'TEXTAREA') {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); finishEdit(); }
      else if (e.key === 'Escape') { e.preventDefault(); leaveMode(); say('edit cancelled'); }
      return;
    }
    if (tag === 'INPUT' && t.type !== 'checkbox' || tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable) { return; }
    if (keysDialog && keysDialog.open) { if (e.key === '?') { help(false); e.preventDefault(); } return; }
    var key = e.key;
    if (e.metaKey || e.ctrlKey && !e.altKey) {  // Ctrl (or Cmd) shortcuts; Ctrl+Alt is AltGr typing a character
      var lower = key.length === 1 ? key.toLowerCase() : key;
      if (lower === 'z' && !e.shiftKey) { run('undo'); }
      else if (lower === 'y' || lower === 'z' && e.shiftKey) { run('redo'); }
      else if (lower === 's') { run('save'); }
      else { return; }
      e.preventDefault();
      return;
    }
    if (mode && mode.kind === 'split') {
      if (key === 'ArrowLeft' || key === 'ArrowRight') { moveCut(e.shiftKey ? 'tgt' : 'src', key === 'ArrowLeft' ? -1 : 1); e.preventDefault(); return; }
      if (key === 'Enter' || key === 's') { e.preventDefault(); run('split'); return; }
      if (key === 'Escape') { e.preventDefault(); leaveMode(); say('split cancelled'); return; }
      if (key === 'Shift') { return; }
      leaveMode();
    }
    if (e.altKey && key.length !== 1) { return; }  // Alt+arrow: the browser's history
    if ((tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') && (key === 'Enter' || key === ' ')) { return; }
    var handled = true;
    if (key === 'n') { go(1); }
    else if (key === 'p') { go(-1); }
    else if (key === 'd') { filter(!only.checked); }
    else if (key === 'j' || key === 'ArrowDown') { step(1); }
    else if (key === 'k' || key === 'ArrowUp') { step(-1); }
    else if (key === 'g') { focusFirst(0); }
    else if (key === 'G') { focusFirst(-1); }
    else if (key === '?') { help(true); }
    else if (key === 'Escape' && focusEl) { say(''); }
    else if (KEYS.hasOwnProperty(key)) { run(KEYS[key]); }
    else { handled = false; }
    if (handled) { e.preventDefault(); }
  });
  function focusFirst(end) {
    var count = total();
    if (count) { setFocus(rowAt(end < 0 ? count - 1 : 0), true); }
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) { return; }
    var cut = t.closest('button.cut');
    if (cut && mode && mode.kind === 'split') {
      mode[cut.getAttribute('data-side') === 'src' ? 'ks' : 'kt'] = +cut.getAttribute('data-k');
      render(mode.row);
      return;
    }
    var button = t.closest('button[data-op]');
    if (button) { run(button.getAttribute('data-op')); return; }
    var tr = t.closest('tr[data-confidence]');
    if (tr && !(mode && mode.row.el === tr)) {
      if (mode) { settle(); }
      build();
      setFocus(tr._row || tr, false);
    }
  });
  document.addEventListener('dblclick', function (e) {
    var span = e.target && e.target.closest && e.target.closest('tr[data-confidence] span[data-i]');
    if (!span || mode) { return; }
    var tr = span.closest('tr'), side = span.parentNode === tr.cells[1] ? 'src' : 'tgt';
    build();
    setFocus(tr._row, false);
    var k = Array.prototype.indexOf.call(span.parentNode.querySelectorAll('span[data-i]'), span);
    try { startEdit(side, k); } catch (err) { say(err.message, true); }
  });
  document.getElementById('next').addEventListener('click', function () { go(1); });
  document.getElementById('prev').addEventListener('click', function () { go(-1); });
  only.addEventListener('change', function () { filter(only.checked); });
  var helpButton = document.getElementById('help');
  if (helpButton) { helpButton.addEventListener('click', function () { help(true); }); }

  // the sticky table header sits below the bar, whose height depends on the window's width
  function barHeight() { document.documentElement.style.setProperty('--bar', bar.offsetHeight + 'px'); }
  window.addEventListener('resize', barHeight);
  if (window.ResizeObserver) { new ResizeObserver(barHeight).observe(bar); }

  // -- a batch's index: sort by a column ------------------------------------------------------
  var index = document.getElementById('index');
  if (index) {
    index.addEventListener('click', function (e) {
      var b = e.target.closest && e.target.closest('button[data-sort]');
      if (!b) { return; }
      var key = b.getAttribute('data-sort'), desc = b.classList.contains('asc');
      var tbody = index.querySelector('tbody'), rows = Array.prototype.slice.call(tbody.rows);
      var keys = {rank: ['rank', 'mean', 'order'], mean: ['mean', 'rank', 'order'], order: ['order']}[key] || [key];
      rows.sort(function (a, c) {
        for (var n = 0; n < keys.length; n++) {
          var d = +a.getAttribute('data-' + keys[n]) - +c.getAttribute('data-' + keys[n]);
          if (d) { return n === 0 && desc ? -d : d; }
        }
        return 0;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
      Array.prototype.forEach.call(index.querySelectorAll('button[data-sort]'), function (x) { x.classList.remove('asc', 'desc'); });
      b.classList.add(desc ? 'desc' : 'asc');
    });
  }

  // -- for scripts and tests: rows counted from 0 across the page -------------------------------
  function rows() {
    var out = [];
    build().forEach(function (doc) {
      doc.rows.forEach(function (row) {
        var rec = record(row), sh = shape(row);
        rec.src_sentences = row.src.map(function (s) { return s.t; });
        rec.tgt_sentences = row.tgt.map(function (s) { return s.t; });
        rec.touched = sh.touched;
        out.push(rec);
      });
    });
    return out;
  }
  function guarded(fn) {
    return function () { settle(); var r = fn.apply(null, arguments); return r === undefined ? null : r; };
  }
  window.alignerReview = {
    rows: rows,
    merge: guarded(merge),
    split: guarded(split),
    move: guarded(move),
    mark: guarded(mark),
    edit: guarded(edit),
    undo: guarded(undo),
    redo: guarded(redo),
    exportJSONL: exportJSONL,
    save: save,
    focus: function (i) { setFocus(rowAt(i), true); return i; },
    focused: function () { build(); return focusRow ? indexOf(focusRow) : null; },
    dirty: function () { return !!docs && dirty(); },
    changes: function () { return done; }
  };

  window.addEventListener('load', function () {
    barHeight();
    // a link to a row (the address the doubtful steps leave): that row is the focused one
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.matches && target.matches('tr[data-confidence]')) { setFocus(target, false); }
    showWhere();
  });
})();
