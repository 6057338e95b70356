// CityOps live console: sign in, stream live readings (SSE) filtered by class, inject demo incidents.
import { messages } from '/console/i18n.js';

const CLASSES = ['', 'traffic', 'air_quality', 'noise', 'water_level', 'rainfall', 'pipe', 'energy', 'crowd', 'parking', 'tilt', 'smoke', 'sos'];
const INCIDENTS = ['rainstorm', 'congestion', 'pipe_burst', 'fire', 'sos'];
let locale = localStorage.getItem('cityops.locale') || 'zh-CN';
let token = sessionStorage.getItem('cityops.token');
let source = null;
const latest = new Map();
const $ = (id) => document.getElementById(id);
const t = (key) => messages[locale][key] ?? key;

function render() {
  document.documentElement.lang = locale;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $('lang').textContent = t('language');
  const selected = $('cls').value;
  $('cls').innerHTML = CLASSES.map((c) => `<option value="${c}">${c ? t(c === 'sos' ? 'sos_class' : c) : t('allClasses')}</option>`).join('');
  $('cls').value = selected;
  $('incidentButtons').replaceChildren(...INCIDENTS.map((k) => {
    const b = document.createElement('button');
    b.type = 'button'; b.textContent = t(k); b.style.marginRight = '.5rem';
    b.onclick = () => inject(k);
    return b;
  }));
  $('login').hidden = !!token; $('live').hidden = !token; $('incidents').hidden = !token;
  $('status').textContent = source ? t('connected') : t('disconnected');
}

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  return body;
}

$('loginForm').onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  try {
    const r = await api('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: f.get('username'), password: f.get('password') }) });
    token = r.token; sessionStorage.setItem('cityops.token', token); $('loginError').textContent = ''; render();
  } catch (err) { $('loginError').textContent = t('signInFailed') + err.message; }
};
$('logout').onclick = () => { token = null; sessionStorage.removeItem('cityops.token'); source?.close(); source = null; render(); };
$('lang').onclick = () => { locale = locale === 'zh-CN' ? 'en-US' : 'zh-CN'; localStorage.setItem('cityops.locale', locale); render(); };

$('connect').onclick = () => {
  source?.close(); latest.clear();
  const cls = $('cls').value;
  source = new EventSource(`/api/v1/live?access_token=${encodeURIComponent(token)}${cls ? `&class=${cls}` : ''}`);
  const onRows = (ev) => { for (const [id, ts, v] of JSON.parse(ev.data)) latest.set(id, [ts, v]); draw(); };
  source.addEventListener('snapshot', onRows);
  source.addEventListener('reading', onRows);
  source.onerror = () => { $('status').textContent = t('disconnected'); };
  render();
};

let pending = false;
function draw() {
  if (pending) return; pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const rows = [...latest.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12);
    $('rows').innerHTML = rows.map(([id, [ts, v]]) => `<tr><td>${escapeHtml(id)}</td><td>${new Date(ts).toLocaleTimeString(locale)}</td><td>${Number(v).toFixed(2)}</td></tr>`).join('');
    $('status').textContent = `${t('connected')} · ${latest.size} ${t('updates')}`;
  });
}

async function inject(kind) {
  try {
    const r = await api('/api/v1/sim/incidents', { method: 'POST', body: JSON.stringify({ kind }) });
    $('incidentStatus').textContent = t('injected') + (r.id ?? kind);
  } catch (err) { $('incidentStatus').textContent = err.message; }
}

function escapeHtml(s) { return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`); }
render();
