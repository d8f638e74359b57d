// The search page of `tim serve`: plain JavaScript, no build step. The
// state lives in the URL (/?q=dam+phan&source=VnExpress), so a search can be
// shared and the back button works. Everything from the database is
// inserted as text, except the snippet: the library sends it as HTML whose
// text is escaped, with the matches in <mark>.
'use strict';

const PAGE_SIZE = 10;
const FACETS_SHOWN = 8;
// The page's parameters are the API's (README, "Serve"), plus `article`.
const LIST_PARAMS = ['source', 'filter'];
const SINGLE_PARAMS = ['q', 'from', 'to', 'sort', 'offset'];
const FACET_NAMES = { unknown: '(không rõ)', other: '(khác)' };

const $ = (id) => document.getElementById(id);
let latestRequest = 0;

// --- State <-> URL ---------------------------------------------------------

function readState(search = location.search) {
  const params = new URLSearchParams(search);
  const state = { article: params.get('article') || '' };
  for (const name of SINGLE_PARAMS) state[name] = params.get(name) || '';
  for (const name of LIST_PARAMS) state[name] = params.getAll(name);
  return state;
}

function stateQuery(state) {
  const params = new URLSearchParams();
  for (const name of SINGLE_PARAMS) {
    if (state[name] && !(name === 'offset' && state[name] === '0')) params.set(name, state[name]);
  }
  for (const name of LIST_PARAMS) for (const value of state[name]) params.append(name, value);
  if (state.article) params.set('article', state.article);
  return params.toString();
}

function go(state) {
  const query = stateQuery(state);
  history.pushState(null, '', query ? '/?' + query : '/');
  render();
}

// A copy of the search state with `change` applied, back on the first page.
function withChange(change) {
  return { ...readState(), article: '', offset: '', ...change };
}

// --- Text helpers ------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const number = new Intl.NumberFormat('vi-VN');

// "2025-10-28" -> "28/10/2025", "2023-08" -> "tháng 8/2023", "2016" -> "năm 2016".
function formatDate(date) {
  if (!date) return 'không rõ ngày';
  const [year, month, day] = date.split('-');
  if (day) return `${day}/${month}/${year}`;
  if (month) return `tháng ${Number(month)}/${year}`;
  return `năm ${year}`;
}

// "năm 2024", "từ 2023", "đến 03/2025", "tháng 8/2023 – năm 2025".
function dateRange({ from, to }) {
  if (from === to) return formatDate(from);
  if (!to) return `từ ${formatDate(from)}`;
  if (!from) return `đến ${formatDate(to)}`;
  return `${formatDate(from)} – ${formatDate(to)}`;
}

function facetLabel(value) {
  return FACET_NAMES[value] || value;
}

function articleHref(id) {
  return '/?' + new URLSearchParams({ article: id }).toString();
}

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `Lỗi máy chủ (${response.status})`);
  return body;
}

// --- Search view ----------------------------------------------------------------

function apiQuery(state) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  // Without words, newest first: relevance has nothing to rank by.
  params.set('sort', state.sort || (state.q ? 'relevance' : 'date'));
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  for (const source of state.source) params.append('source', source);
  for (const filter of state.filter) params.append('filter', filter);
  params.set('offset', state.offset || '0');
  params.set('limit', String(PAGE_SIZE));
  params.set('facets', 'source,category,cites,year,month');
  return params.toString();
}

async function renderSearch(state) {
  $('search-view').hidden = false;
  $('article-view').hidden = true;
  $('q').value = state.q;
  $('sort').value = state.sort || (state.q ? 'relevance' : 'date');
  document.title = state.q ? `${state.q} · tìm` : 'tìm · Tìm kiếm tin tức';
  const request = ++latestRequest;
  document.body.setAttribute('aria-busy', 'true');
  try {
    const response = await fetchJson('/api/search?' + apiQuery(state));
    if (request !== latestRequest) return;  // a newer search is on its way
    $('error').hidden = true;
    renderSummary(state, response);
    renderSuggestion(state, response.suggestion);
    renderChips(state);
    renderHits(response.hits, $('hits'));
    renderPages(state, response.total);
    const facets = response.facets;
    for (const section of document.querySelectorAll('.facet[data-facet]')) {
      renderFacet(section, state, facets[section.dataset.facet] || []);
    }
    renderHistogram(state, facets.year || [], facets.month || []);
  } catch (error) {
    if (request !== latestRequest) return;
    $('error').textContent = error.message;
    $('error').hidden = false;
  } finally {
    if (request === latestRequest) document.body.removeAttribute('aria-busy');
  }
}

function renderSummary(state, response) {
  const words = state.q ? ` cho «${state.q}»` : '';
  $('summary').textContent =
    `${number.format(response.total)} kết quả${words} (${response.took_ms.toFixed(1)} ms)`;
}

function renderSuggestion(state, suggestion) {
  const box = $('suggestion');
  box.replaceChildren();
  box.hidden = !suggestion;
  if (!suggestion) return;
  const link = el('a', { href: '/?' + stateQuery(withChange({ q: suggestion })) }, suggestion);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    go(withChange({ q: suggestion }));
  });
  box.append('Có phải bạn muốn tìm: ', link);
}

function renderHits(hits, list) {
  list.replaceChildren();
  if (hits.length === 0 && list === $('hits')) {
    list.append(el('li', { class: 'empty' }, 'Không tìm thấy bài nào. Hãy thử bớt từ khoá hoặc bộ lọc.'));
  }
  for (const hit of hits) {
    const snippet = el('p', { class: 'snippet' });
    snippet.innerHTML = hit.snippet;  // escaped text and <mark>, from the library
    const date = el('span', {}, formatDate(hit.date));
    if (hit.date_inferred) date.title = 'Ngày suy ra từ nội dung bài';
    list.append(el('li', { class: 'hit' },
      el('h3', {}, el('a', { href: articleHref(hit.id), 'data-article': hit.id }, hit.title || hit.id)),
      el('p', { class: 'meta' }, el('span', { class: 'source' }, facetLabel(hit.source)), ' · ', date),
      snippet));
  }
}

function renderPages(state, total) {
  const nav = $('pages');
  nav.replaceChildren();
  const pages = Math.min(Math.ceil(total / PAGE_SIZE), 1000);
  if (pages <= 1) return;
  const current = Math.floor(Number(state.offset || 0) / PAGE_SIZE);
  const link = (page, text, label) => {
    if (page === current) return el('span', { class: 'current', 'aria-current': 'page' }, text);
    const target = { ...readState(), offset: String(page * PAGE_SIZE) };
    return el('a', {
      href: '/?' + stateQuery(target),
      'aria-label': label || `Trang ${page + 1}`,
      onclick: (event) => { event.preventDefault(); go(target); scrollTo(0, 0); },
    }, text);
  };
  if (current > 0) nav.append(link(current - 1, '‹ Trước', 'Trang trước'));
  const first = Math.max(0, Math.min(current - 2, pages - 5));
  for (let page = first; page < Math.min(pages, first + 5); ++page) nav.append(link(page, String(page + 1)));
  if (current < pages - 1) nav.append(link(current + 1, 'Sau ›', 'Trang sau'));
}

// The values a facet filters on, as the state holds them.
function selected(state, facet) {
  if (facet === 'source') return state.source;
  return state.filter.filter((f) => f.startsWith(facet + '=')).map((f) => f.slice(facet.length + 1));
}

function toggled(state, facet, value, on) {
  if (facet === 'source') {
    const source = state.source.filter((v) => v !== value);
    return withChange({ source: on ? [...source, value] : source });
  }
  const entry = `${facet}=${value}`;
  const filter = state.filter.filter((f) => f !== entry);
  return withChange({ filter: on ? [...filter, entry] : filter });
}

function renderFacet(section, state, values) {
  const facet = section.dataset.facet;
  const chosen = selected(state, facet);
  const list = section.querySelector('.facet-values');
  list.replaceChildren();
  // Chosen values first, then by count (the API's order).
  const shown = [...values].sort((a, b) => chosen.includes(b.value) - chosen.includes(a.value));
  for (const value of chosen) {
    if (!shown.some((v) => v.value === value)) shown.unshift({ value, count: 0 });
  }
  section.hidden = shown.length === 0 || (shown.length === 1 && shown[0].value === 'unknown' && !chosen.length);
  const expanded = section.classList.contains('expanded');
  shown.forEach(({ value, count }, index) => {
    const checkbox = el('input', { type: 'checkbox', value });
    checkbox.checked = chosen.includes(value);
    checkbox.addEventListener('change', () => go(toggled(state, facet, value, checkbox.checked)));
    const item = el('li', {}, el('label', {}, checkbox,
      el('span', { class: 'name' }, facetLabel(value)),
      el('span', { class: 'count' }, number.format(count))));
    if (index >= FACETS_SHOWN && !expanded && !checkbox.checked) item.hidden = true;
    list.append(item);
  });
  if (shown.length > FACETS_SHOWN && !expanded) {
    list.append(el('li', {}, el('button', {
      type: 'button', class: 'more',
      onclick: () => { section.classList.add('expanded'); renderFacet(section, state, values); },
    }, `Xem thêm ${shown.length - FACETS_SHOWN}`)));
  }
}

// Years, or the months of the year the dates are narrowed to; a bar narrows
// the dates to its period.
function renderHistogram(state, years, months) {
  const box = $('histogram');
  box.replaceChildren();
  const year = state.from && state.from.slice(0, 4) === state.to.slice(0, 4) ? state.from.slice(0, 4) : '';
  const bars = (year ? months.filter((m) => m.value.startsWith(year + '-')) : years)
    .filter((v) => v.value !== 'unknown' && v.value !== 'other');
  const unknown = years.find((v) => v.value === 'unknown');
  const highest = Math.max(1, ...bars.map((b) => b.count));
  for (const { value, count } of bars) {
    const label = year ? `Tháng ${Number(value.slice(5))}` : value;
    const active = state.from === value && state.to === value;
    const bar = el('button', {
      type: 'button', class: 'bar' + (active ? ' active' : ''),
      title: `${label}: ${number.format(count)} bài`,
      'aria-label': `${label}: ${number.format(count)} bài`,
      onclick: () => go(withChange({ from: value, to: value })),
    }, el('span', { class: 'fill' }), el('span', { class: 'tick' }, year ? value.slice(5) : bars.length > 8 ? value.slice(2) : value));
    // Through the style object: the page's CSP forbids style attributes.
    bar.firstChild.style.height = `${Math.max(4, (100 * count) / highest)}%`;
    box.append(bar);
  }
  const note = $('date-note');
  note.replaceChildren();
  if (state.from || state.to) {
    note.append(`Đang xem: ${dateRange(state)}. `, el('a', {
      href: '#', onclick: (event) => { event.preventDefault(); go(withChange({ from: '', to: '' })); },
    }, 'Mọi thời gian'));
  } else if (unknown && unknown.count) {
    note.append(`${number.format(unknown.count)} bài không rõ ngày`);
  }
  if (!bars.length && !note.textContent) note.append('Không có bài nào có ngày.');
}

function renderChips(state) {
  const box = $('chips');
  box.replaceChildren();
  const chips = [
    ...state.source.map((value) => ({ text: `Nguồn: ${facetLabel(value)}`, next: toggled(state, 'source', value, false) })),
    ...state.filter.map((entry) => {
      const [facet, ...rest] = entry.split('=');
      const value = rest.join('=');
      const name = { category: 'Chuyên mục', cites: 'Trích dẫn' }[facet] || facet;
      return { text: `${name}: ${facetLabel(value)}`, next: toggled(state, facet, value, false) };
    }),
  ];
  if (state.from || state.to) chips.push({ text: `Thời gian: ${dateRange(state)}`, next: withChange({ from: '', to: '' }) });
  for (const { text, next } of chips) {
    box.append(el('button', { type: 'button', class: 'chip', title: 'Bỏ bộ lọc này', onclick: () => go(next) }, text, el('span', { 'aria-hidden': 'true' }, ' ×')));
  }
}

// --- Article view ------------------------------------------------------------------

async function renderArticle(id) {
  $('search-view').hidden = true;
  $('article-view').hidden = false;
  const request = ++latestRequest;
  try {
    const article = await fetchJson('/api/articles/' + encodeURIComponent(id));
    if (request !== latestRequest) return;
    document.title = `${article.title || id} · tìm`;
    $('article-title').textContent = article.title || id;
    const meta = [facetLabel(article.source || 'unknown'), formatDate(article.date)];
    if (article.category) meta.push(article.category);
    $('article-meta').textContent = meta.join(' · ');
    const link = $('article-link');
    const safe = /^https?:\/\//i.test(article.url || '');
    link.hidden = !safe;
    if (safe) link.href = article.url; else link.removeAttribute('href');
    const body = $('article-body');
    body.replaceChildren(...article.body.split(/\n+/).filter((p) => p.trim()).map((p) => el('p', {}, p)));
    const similar = await fetchJson(`/api/similar/${encodeURIComponent(id)}?limit=5&facets=none`);
    if (request === latestRequest) renderHits(similar.hits, $('similar'));
  } catch (error) {
    if (request !== latestRequest) return;
    $('article-title').textContent = error.message;
    $('article-meta').textContent = '';
    $('article-body').replaceChildren();
    $('similar').replaceChildren();
  }
}

// --- Wiring --------------------------------------------------------------------------

function render() {
  const state = readState();
  if (state.article) renderArticle(state.article);
  else renderSearch(state);
}

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  go(withChange({ q: $('q').value.trim() }));
});
$('sort').addEventListener('change', () => go(withChange({ sort: $('sort').value })));
$('back').addEventListener('click', (event) => {
  if (!(history.state && history.state.fromSearch)) return;  // opened directly: go home
  event.preventDefault();
  history.back();
});
// Links to articles stay in the page (and in its history).
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-article]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState({ fromSearch: true }, '', link.getAttribute('href'));
  scrollTo(0, 0);
  render();
});
document.addEventListener('keydown', (event) => {
  if (event.key === '/' && document.activeElement !== $('q')) {
    event.preventDefault();
    $('q').focus();
  }
});
window.addEventListener('popstate', render);
if (matchMedia('(max-width: 760px)').matches) $('facet-panel').open = false;
render();
