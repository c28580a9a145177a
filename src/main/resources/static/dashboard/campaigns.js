/* The campaigns page: every campaign with its report's totals for the chosen period. */
'use strict';

(function () {
  const {el, num, rate, td, card, status, badge, emptyRow, api, problemText, period, periodQuery, rangePicker, int} = window.LF;
  const COLUMNS = 11;
  const SUMMED = ['journeys', 'active', 'sent', 'opened', 'clicked', 'conversions', 'revenue'];

  function row(campaign, report, error) {
    const link = '/dashboard/campaign?' + new URLSearchParams(Object.assign({id: campaign.id}, Object.fromEntries(periodQuery(period())))).toString();
    const name = el('td', {'class': 'text'},
        el('a', {href: link, 'class': 'strong'}, campaign.name || campaign.id), el('div', {'class': 'muted small'}, campaign.id));
    const cells = [name, td(campaign.template, 'text'), td(badge(campaign.state), 'text')];
    if (!report) {
      cells.push(el('td', {colspan: COLUMNS - 3, 'class': 'text muted'}, 'No report: ' + error));
    } else {
      const t = report.totals || {};
      cells.push(td(num('totals.journeys', t.journeys)), td(num('totals.active', t.active)), td(num('totals.sent', t.sent)),
          td(rate('totals.opened', 'totals.sent', t.opened, t.sent)), td(rate('totals.clicked', 'totals.sent', t.clicked, t.sent)),
          td(num('totals.conversions', t.conversions)), td(rate('totals.conversions', 'totals.journeys', t.conversions, t.journeys)),
          td(num('totals.revenue', t.revenue, 'money')));
    }
    return el('tr', {'data-campaign': campaign.id, 'data-state': campaign.state}, cells);
  }

  function summary(reports, campaigns) {
    const sums = Object.fromEntries(SUMMED.map((k) => [k, 0]));
    for (const r of reports) {
      for (const k of SUMMED) sums[k] += Number((r.totals || {})[k]) || 0;
    }
    sums.revenue = Math.round(sums.revenue * 100) / 100;
    const active = campaigns.filter((c) => c.state === 'ACTIVE').length;
    const s = (k, kind) => num('sum:totals.' + k, sums[k], kind);
    return [
      card('Campaigns', num('campaigns', campaigns.length), int(active) + ' active'),
      card('Journeys', s('journeys'), el('span', {}, num('sum:totals.active', sums.active), ' still running')),
      card('Messages sent', s('sent'), 'e-mail and SMS'),
      card('Opened', el('span', {}, rate('sum:totals.opened', 'sum:totals.sent', sums.opened, sums.sent)),
          el('span', {}, num('sum:totals.opened', sums.opened), ' messages')),
      card('Conversions', s('conversions'),
          el('span', {}, rate('sum:totals.conversions', 'sum:totals.journeys', sums.conversions, sums.journeys), ' of journeys')),
      card('Revenue', s('revenue', 'money'), 'attributed to the campaigns')
    ];
  }

  /** The campaigns side by side: journeys and conversions (bars), revenue (line on its own axis). */
  function overview(reports) {
    if (reports.length === 0 || !window.echarts) return;
    const panel = document.getElementById('overview');
    panel.hidden = false;
    const names = reports.map((r) => r.campaignName || r.campaignId);
    const totals = reports.map((r) => r.totals || {});
    const chart = window.echarts.init(document.getElementById('overview-chart'));
    chart.setOption({
      animation: false,
      color: ['#2f6fde', '#18a57b', '#f2a93b'],
      grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
      xAxis: {type: 'category', data: names, axisLabel: {interval: 0, width: 140, overflow: 'truncate'}},
      yAxis: [{type: 'value', name: 'journeys', minInterval: 1}, {type: 'value', name: 'revenue', splitLine: {show: false}}],
      series: [
        {name: 'Journeys', type: 'bar', data: totals.map((t) => t.journeys || 0), barMaxWidth: 36},
        {name: 'Conversions', type: 'bar', data: totals.map((t) => t.conversions || 0), barMaxWidth: 36},
        {name: 'Revenue', type: 'line', yAxisIndex: 1, data: totals.map((t) => Number(t.revenue) || 0), symbolSize: 8}
      ]
    });
    window.addEventListener('resize', () => chart.resize());
  }

  async function load() {
    rangePicker(document.getElementById('range'));
    const statusNode = document.getElementById('status');
    const body = document.querySelector('#campaigns tbody');
    status(statusNode, 'Loading campaigns…', 'info');
    const list = await api('/api/campaigns');
    if (!list.ok) {
      status(statusNode, 'The campaigns could not be read: ' + problemText(list), 'error');
      document.body.dataset.loaded = 'error';
      return;
    }
    const campaigns = Array.isArray(list.body) ? list.body : (list.body && list.body.campaigns) || [];
    if (campaigns.length === 0) {
      body.replaceChildren(emptyRow(COLUMNS, 'No campaigns yet. Campaigns are created and activated through the API (docs/api.md).'));
      document.getElementById('summary').replaceChildren(...summary([], []));
      status(statusNode, '');
      document.body.dataset.loaded = 'true';
      return;
    }
    const query = periodQuery(period());
    const answers = await Promise.all(campaigns.map((c) =>
        api('/api/campaigns/' + encodeURIComponent(c.id) + '/report', query).catch((e) => ({ok: false, status: 0, body: {detail: e.message}}))));
    const reports = [];
    body.replaceChildren(...campaigns.map((c, i) => {
      const a = answers[i];
      if (a.ok && a.body) reports.push(a.body);
      return row(c, a.ok ? a.body : null, a.ok ? null : problemText(a));
    }));
    document.getElementById('summary').replaceChildren(...summary(reports, campaigns));
    overview(reports);
    const missing = campaigns.length - reports.length;
    status(statusNode, missing ? missing + ' of ' + campaigns.length + ' reports could not be read.' : '', missing ? 'warn' : '');
    document.body.dataset.loaded = 'true';
  }

  document.addEventListener('DOMContentLoaded', () => {
    load().catch((e) => {
      status(document.getElementById('status'), 'The dashboard failed: ' + e.message, 'error');
      document.body.dataset.loaded = 'error';
    });
  });
})();
