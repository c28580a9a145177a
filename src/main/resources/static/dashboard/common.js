/*
 * Loyalflow dashboard: what both pages share. Reads only the aggregate JSON APIs (/api/campaigns, a campaign's
 * report and experiments) with the session of the dashboard's login. Every number shown carries
 * data-field (its path in the API's JSON, e.g. "totals.sent", "funnel[2].entered"), data-value (the raw
 * value), and rates data-rate ("numerator/denominator" paths), so tests compare the page with the APIs.
 */
'use strict';

window.LF = (function () {
  const intFormat = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
  const moneyFormat = new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const pctFormat = new Intl.NumberFormat('en-US', {style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1});
  const DASH = '–';

  /** An element with attributes and children (strings become text nodes: nothing is parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function isNumber(v) {
    return typeof v === 'number' && Number.isFinite(v);
  }

  function int(v) {
    return isNumber(v) ? intFormat.format(v) : DASH;
  }

  function money(v) {
    const n = typeof v === 'string' ? Number(v) : v;
    return isNumber(n) ? moneyFormat.format(n) : DASH;
  }

  function pct(v) {
    return isNumber(v) ? pctFormat.format(v) : DASH;
  }

  function ratio(numerator, denominator) {
    return isNumber(numerator) && isNumber(denominator) && denominator > 0 ? numerator / denominator : null;
  }

  /** A number as the API gave it: data-field is its JSON path, data-value its raw value. */
  function num(field, value, kind, extra) {
    const text = kind === 'money' ? money(value) : kind === 'pct' ? pct(value) : kind === 'plain' ? String(value) : int(value);
    return el('span', Object.assign({'class': 'num', 'data-field': field, 'data-value': value === null || value === undefined ? '' : String(value)}, extra || {}), text);
  }

  /** A rate the page computes: numerator / denominator, both JSON paths. */
  function rate(numeratorField, denominatorField, numerator, denominator) {
    const value = ratio(numerator, denominator);
    return el('span', {
      'class': 'num rate',
      'data-rate': numeratorField + '/' + denominatorField,
      'data-value': value === null ? '' : String(value),
      title: int(numerator) + ' of ' + int(denominator)
    }, pct(value));
  }

  /** The period of the URL (?from=YYYY-MM-DD&to=YYYY-MM-DD), empty for the API's default. */
  function period() {
    const query = new URLSearchParams(location.search);
    const valid = (d) => (/^\d{4}-\d{2}-\d{2}$/.test(d || '') ? d : null);
    return {from: valid(query.get('from')), to: valid(query.get('to'))};
  }

  function periodQuery(p) {
    const query = new URLSearchParams();
    if (p.from) query.set('from', p.from);
    if (p.to) query.set('to', p.to);
    return query;
  }

  function isoDate(date) {
    return date.toISOString().slice(0, 10);
  }

  /** The time-range picker: two dates, presets, Apply; it reloads the page with the period in the URL. */
  function rangePicker(form, keep) {
    const p = period();
    const from = el('input', {type: 'date', name: 'from', value: p.from || '', 'aria-label': 'From'});
    const to = el('input', {type: 'date', name: 'to', value: p.to || '', 'aria-label': 'To'});
    const go = (q) => {
      const query = periodQuery(q);
      for (const [k, v] of Object.entries(keep || {})) query.set(k, v);
      location.search = query.toString();
    };
    const preset = (label, days) => {
      const b = el('button', {type: 'button', 'class': 'chip', 'data-days': days === null ? 'all' : days}, label);
      const today = new Date();
      const active = days === null ? !p.from && !p.to
          : p.to === null && p.from === isoDate(new Date(today.getTime() - days * 86400000));
      if (active) b.classList.add('on');
      b.addEventListener('click', () => {
        if (days === null) go({});
        else go({from: isoDate(new Date(Date.now() - days * 86400000)), to: null});
      });
      return b;
    };
    form.replaceChildren(
        el('div', {'class': 'presets'}, preset('7 days', 7), preset('30 days', 30), preset('90 days', 90), preset('All time', null)),
        el('label', {}, 'From ', from), el('label', {}, 'to ', to),
        el('button', {type: 'submit', 'class': 'button'}, 'Apply'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      go({from: from.value || null, to: to.value || null});
    });
  }

  /** GET of an aggregate API as the signed-in user; a lost session leads to the login. */
  async function api(path, query) {
    const url = path + (query && query.toString() ? '?' + query.toString() : '');
    const response = await fetch(url, {
      credentials: 'same-origin',
      headers: {'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest'}
    });
    if (response.status === 401) {
      location.assign('/login');
      throw new Error('signed out');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    return {ok: response.ok, status: response.status, body: body};
  }

  function problemText(answer) {
    const b = answer.body;
    return (b && (b.detail || b.title)) || ('HTTP ' + answer.status);
  }

  function card(label, value, sub, extra) {
    return el('div', Object.assign({'class': 'card'}, extra || {}),
        el('div', {'class': 'label'}, label), el('div', {'class': 'value'}, value), sub ? el('div', {'class': 'hint'}, sub) : null);
  }

  function status(node, text, kind) {
    node.replaceChildren();
    if (text) node.append(el('div', {'class': 'notice ' + (kind || '')}, text));
  }

  function badge(text, kind) {
    return el('span', {'class': 'badge ' + (kind || String(text).toLowerCase())}, text);
  }

  function td(content, cls) {
    return el('td', {'class': cls || null}, content);
  }

  function emptyRow(columns, text) {
    return el('tr', {'class': 'empty'}, el('td', {colspan: columns}, text));
  }

  return {el, int, money, pct, ratio, num, rate, period, periodQuery, rangePicker, api, problemText, card, status, badge, td, emptyRow, DASH};
})();
