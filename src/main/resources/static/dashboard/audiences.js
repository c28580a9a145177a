/*
 * The campaigns page's ad audiences: each audience's sync status with Meta as GET /api/audiences answers it.
 * Counts and times only (rule 13): members wanted, at Meta and pending, never who they are.
 */
'use strict';

(function () {
  const {el, num, td, status, badge, emptyRow, api, problemText, int} = window.LF;
  const COLUMNS = 10;
  const timeFormat = new Intl.DateTimeFormat('en-GB', {dateStyle: 'medium', timeStyle: 'short'});

  function time(iso) {
    const date = iso ? new Date(iso) : null;
    return date && !Number.isNaN(date.getTime()) ? el('time', {datetime: iso, title: iso}, timeFormat.format(date)) : '–';
  }

  function stateCell(a) {
    const cell = el('td', {'class': 'text'}, badge(a.status, a.status === 'FLAGGED' ? 'flagged' : 'active'));
    if (a.flagged) {
      cell.append(el('div', {'class': 'small flag-reason', 'data-field': 'flagged.reason'},
          'Flagged by Meta ', time(a.flagged.at), ': ', a.flagged.reason || 'no reason given'));
    }
    if (a.roundRunning) cell.append(el('div', {'class': 'muted small'}, 'sync round running'));
    return cell;
  }

  function row(a) {
    const m = a.members || {};
    const name = el('td', {'class': 'text'}, el('span', {'class': 'strong'}, a.name || a.id), el('div', {'class': 'muted small'}, a.id));
    const source = td(a.source === 'SEGMENT'
        ? el('span', {}, 'segment ', el('span', {'class': 'strong', 'data-field': 'segment'}, a.segment))
        : el('span', {'data-field': 'source'}, 'journeys'), 'text');
    const provider = el('td', {'class': 'text'}, el('span', {'data-field': 'provider'}, a.provider));
    if (a.provider === 'log') {
      provider.append(el('div', {'class': 'small log-note'}, 'log provider: nothing is sent to Meta'));
    }
    const last = a.lastBatch
        ? el('span', {}, time(a.lastBatch.at), ' ', el('span', {'class': 'badge outcome'}, a.lastBatch.kind), ' ',
            num('lastBatch.size', a.lastBatch.size))
        : el('span', {'class': 'muted'}, 'none yet');
    const errors = el('td', {'class': 'text'}, num('errors', a.errors));
    if (a.lastError) {
      errors.append(el('div', {'class': 'small error-text', 'data-field': 'lastError.message'},
          time(a.lastError.at), ': ', a.lastError.message || ''));
    }
    return el('tr', {'data-audience': a.id, 'data-status': a.status, 'class': a.status === 'FLAGGED' ? 'flagged' : null},
        name, source, stateCell(a), provider,
        el('td', {}, num('members.wanted', m.wanted), ' / ', num('members.onMeta', m.onMeta), ' / ', num('members.pending', m.pending)),
        td(num('membersSent', a.membersSent)), td(num('removals', a.removals)), td(num('batches', a.batches)),
        td(last, 'text nowrap'), errors);
  }

  async function load() {
    const statusNode = document.getElementById('audience-status');
    const body = document.querySelector('#audiences tbody');
    const answer = await api('/api/audiences').catch((e) => ({ok: false, status: 0, body: {detail: e.message}}));
    if (!answer.ok) {
      const text = answer.status === 403
          ? 'Your user may not read the ad audiences (403).'
          : 'The ad audiences could not be read: ' + problemText(answer);
      body.replaceChildren();
      status(statusNode, text, answer.status === 403 ? 'warn' : 'error');
      document.getElementById('audiences-section').dataset.loaded = 'error';
      return;
    }
    const audiences = Array.isArray(answer.body) ? answer.body : [];
    if (audiences.length === 0) {
      body.replaceChildren(emptyRow(COLUMNS, 'No ad audiences yet. An analyst creates one with POST /api/audiences (docs/api.md).'));
    } else {
      body.replaceChildren(...audiences.map(row));
    }
    const flagged = audiences.filter((a) => a.status === 'FLAGGED').length;
    status(statusNode, flagged ? int(flagged) + ' of ' + int(audiences.length)
        + ' ad audiences flagged by Meta: nothing is sent until an administrator resumes them.' : '', flagged ? 'warn' : '');
    document.getElementById('audiences-section').dataset.loaded = 'true';
  }

  document.addEventListener('DOMContentLoaded', () => {
    load().catch((e) => {
      status(document.getElementById('audience-status'), 'The ad audiences failed: ' + e.message, 'error');
      document.getElementById('audiences-section').dataset.loaded = 'error';
    });
  });
})();
