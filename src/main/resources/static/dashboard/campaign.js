/* One campaign: totals, funnel, messages, experiments, daily series and segments of its report. */
'use strict';

(function () {
  const {el, num, rate, td, card, status, badge, emptyRow, api, problemText, period, periodQuery, rangePicker, pct, money, ratio} = window.LF;
  const COLORS = ['#2f6fde', '#18a57b', '#f2a93b', '#d9534f', '#7a5cd6', '#3bb3c3', '#8c8c8c'];
  const charts = [];

  function chart(id, option) {
    if (!window.echarts) return;
    const node = document.getElementById(id);
    const instance = window.echarts.init(node, null, {renderer: 'canvas'});
    instance.setOption(Object.assign({animation: false, color: COLORS, textStyle: {fontFamily: 'inherit'}}, option));
    charts.push(instance);
  }

  function kpis(t) {
    return [
      card('Journeys', num('totals.journeys', t.journeys),
          el('span', {}, num('totals.active', t.active), ' active · ', num('totals.exited', t.exited), ' ended')),
      card('Sent', num('totals.sent', t.sent),
          el('span', {}, num('totals.delivered', t.delivered), ' delivered · ', rate('totals.delivered', 'totals.sent', t.delivered, t.sent))),
      card('Opened', rate('totals.opened', 'totals.sent', t.opened, t.sent), el('span', {}, num('totals.opened', t.opened), ' messages opened by people')),
      card('Clicked', rate('totals.clicked', 'totals.sent', t.clicked, t.sent), el('span', {}, num('totals.clicked', t.clicked), ' messages clicked')),
      card('Bounced · unsubscribed', el('span', {}, num('totals.bounced', t.bounced), ' · ', num('totals.unsubscribed', t.unsubscribed)),
          el('span', {}, rate('totals.bounced', 'totals.sent', t.bounced, t.sent), ' bounce rate')),
      card('Conversions', num('totals.conversions', t.conversions),
          el('span', {}, rate('totals.conversions', 'totals.journeys', t.conversions, t.journeys), ' of journeys')),
      card('Revenue', num('totals.revenue', t.revenue, 'money'),
          el('span', {}, money(ratio(Number(t.revenue), t.journeys)), ' per journey'), {'class': 'card accent'})
    ];
  }

  function funnel(report) {
    const steps = report.funnel || [];
    const body = document.querySelector('#funnel tbody');
    if (steps.length === 0) {
      body.replaceChildren(emptyRow(5, 'No journey has entered this campaign in the period.'));
      document.getElementById('funnel-chart').replaceChildren(el('p', {'class': 'empty-chart'}, 'Nothing to chart yet.'));
      return;
    }
    body.replaceChildren(...steps.map((s, i) => el('tr', {'data-step': s.stepId, 'class': /gateway/i.test(s.type || '') ? 'minor' : null},
        td(el('span', {title: s.stepId}, s.name || s.stepId), 'text'), td(el('span', {'class': 'muted'}, s.type), 'text'),
        td(num('funnel[' + i + '].entered', s.entered)), td(num('funnel[' + i + '].waiting', s.waiting)), td(num('funnel[' + i + '].left', s.left)))));
    // the chart shows the steps people notice (tasks, events, and the event-based gateways journeys wait at);
    // other gateways only route, the table lists them too
    const shown = steps.filter((s) => !/gateway/i.test(s.type || '') || s.type === 'eventBasedGateway');
    const names = shown.map((s) => s.name || s.stepId).reverse();
    document.getElementById('funnel-chart').style.height = Math.max(220, 60 + 24 * shown.length) + 'px';
    chart('funnel-chart', {
      grid: {left: 8, right: 24, top: 30, bottom: 8, containLabel: true},
      legend: {top: 0, data: ['Passed', 'Waiting now']},
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}},
      xAxis: {type: 'value', minInterval: 1},
      yAxis: {type: 'category', data: names, axisLabel: {width: 170, overflow: 'truncate'}},
      series: [
        {name: 'Passed', type: 'bar', stack: 'n', data: shown.map((s) => Math.max(0, (s.entered || 0) - (s.waiting || 0))).reverse(),
          barMaxWidth: 18},
        {name: 'Waiting now', type: 'bar', stack: 'n', data: shown.map((s) => s.waiting || 0).reverse(), barMaxWidth: 18,
          label: {show: false}}
      ]
    });
  }

  function reasons(field, map) {
    const entries = Object.entries(map || {}).filter(([, n]) => n);
    if (entries.length === 0) return el('span', {'class': 'muted'}, LF.DASH);
    return el('span', {'class': 'reasons'}, entries.map(([reason, n]) =>
        el('span', {'class': 'chip small'}, reason.replace(/_/g, ' ').toLowerCase() + ' ', num(field + '.' + reason, n))));
  }

  function messages(report) {
    const rows = report.messages || [];
    const body = document.querySelector('#messages tbody');
    if (rows.length === 0) {
      body.replaceChildren(emptyRow(13, 'No message was sent in the period.'));
      return;
    }
    body.replaceChildren(...rows.map((m, i) => {
      const f = (k) => 'messages[' + i + '].' + k;
      return el('tr', {'data-step': m.stepId, 'data-channel': m.channel},
          td(el('span', {title: m.stepId}, m.name || m.stepId), 'text'), td(badge(m.channel, 'channel'), 'text'),
          td(num(f('sent'), m.sent)), td(num(f('delivered'), m.delivered)), td(num(f('humanOpens'), m.humanOpens)),
          td(rate(f('humanOpens'), f('sent'), m.humanOpens, m.sent)), td(num(f('machineOpens'), m.machineOpens)),
          td(num(f('clicked'), m.clicked)), td(rate(f('clicked'), f('sent'), m.clicked, m.sent)),
          td(num(f('bounced'), m.bounced)), td(num(f('unsubscribed'), m.unsubscribed)),
          td(reasons(f('skipped'), m.skipped), 'text'), td(reasons(f('deferred'), m.deferred), 'text'));
    }));
  }

  function exits(report) {
    const rows = report.exits || [];
    const total = rows.reduce((sum, x) => sum + (x.journeys || 0), 0);
    const body = document.querySelector('#exits tbody');
    if (rows.length === 0) {
      body.replaceChildren(emptyRow(3, 'No journey has ended yet.'));
      document.getElementById('exits-chart').replaceChildren(el('p', {'class': 'empty-chart'}, 'No journey has ended yet.'));
    } else {
      body.replaceChildren(...rows.map((x, i) => el('tr', {'data-outcome': x.outcome},
          td(badge(x.outcome.replace(/_/g, ' ').toLowerCase(), 'outcome'), 'text'), td(num('exits[' + i + '].journeys', x.journeys)),
          td(el('span', {'class': 'num'}, pct(ratio(x.journeys, total)))))));
      chart('exits-chart', {
        tooltip: {trigger: 'item'},
        legend: {bottom: 0, type: 'scroll'},
        series: [{type: 'pie', radius: ['45%', '70%'], center: ['50%', '45%'], avoidLabelOverlap: true, label: {show: false},
          data: rows.map((x) => ({name: x.outcome.replace(/_/g, ' ').toLowerCase(), value: x.journeys}))}]
      });
    }
    const c = report.conversions || {};
    document.getElementById('conversions').replaceChildren(
        el('dt', {}, 'Attributed orders'), el('dd', {}, num('conversions.orders', c.orders)),
        el('dt', {}, 'Journeys converted'), el('dd', {}, num('conversions.journeysConverted', c.journeysConverted)),
        el('dt', {}, 'Attributed revenue'), el('dd', {}, num('conversions.revenue', c.revenue, 'money')));
    const a = report.attribution || {};
    document.getElementById('attribution').textContent = a.rule
        ? 'Attribution: ' + a.rule + (a.emailWindow ? ' (e-mail window ' + a.emailWindow + ', SMS window ' + a.smsWindow + ')' : '')
        : '';
  }

  function daily(report) {
    const days = report.daily || [];
    const body = document.querySelector('#daily tbody');
    if (days.length === 0) {
      body.replaceChildren(emptyRow(6, 'No activity in the period.'));
      document.getElementById('daily-chart').replaceChildren(el('p', {'class': 'empty-chart'}, 'No activity in the period.'));
      return;
    }
    body.replaceChildren(...days.map((d, i) => {
      const f = (k) => 'daily[' + i + '].' + k;
      return el('tr', {'data-date': d.date}, td(d.date, 'text'), td(num(f('entries'), d.entries)), td(num(f('sends'), d.sends)),
          td(num(f('opens'), d.opens)), td(num(f('conversions'), d.conversions)), td(num(f('revenue'), d.revenue, 'money')));
    }));
    const line = (name, key) => ({name: name, type: 'line', smooth: false, showSymbol: days.length < 40, data: days.map((d) => d[key] || 0)});
    chart('daily-chart', {
      grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: {trigger: 'axis'},
      xAxis: {type: 'category', data: days.map((d) => d.date), boundaryGap: true},
      yAxis: [{type: 'value', name: 'count', minInterval: 1}, {type: 'value', name: 'revenue', splitLine: {show: false}}],
      series: [
        line('Entries', 'entries'), line('Sends', 'sends'), line('Opens', 'opens'), line('Conversions', 'conversions'),
        {name: 'Revenue', type: 'bar', yAxisIndex: 1, data: days.map((d) => Number(d.revenue) || 0), itemStyle: {opacity: 0.35}, barMaxWidth: 18}
      ]
    });
  }

  function segments(report) {
    const rows = report.segments || [];
    const body = document.querySelector('#segments tbody');
    if (rows.length === 0) {
      body.replaceChildren(emptyRow(8, 'No journey in the period.'));
      return;
    }
    body.replaceChildren(...rows.map((s, i) => {
      const f = (k) => 'segments[' + i + '].' + k;
      return el('tr', {'data-segment': s.segment}, td(s.segment || '(none)', 'text strong'), td(num(f('journeys'), s.journeys)),
          td(num(f('sent'), s.sent)), td(num(f('opened'), s.opened)), td(rate(f('opened'), f('sent'), s.opened, s.sent)),
          td(num(f('conversions'), s.conversions)), td(rate(f('conversions'), f('journeys'), s.conversions, s.journeys)),
          td(num(f('revenue'), s.revenue, 'money')));
    }));
  }

  const STATES = {RUNNING: ['Running', 'running'], WINNER_DECLARED: ['Winner declared', 'declared'], WINNER_APPLIED: ['Winner applied', 'applied']};

  function intervalBar(arm, scale) {
    const iv = arm.interval || {};
    const bar = el('div', {'class': 'interval', title: '95 % interval ' + pct(iv.low) + ' – ' + pct(iv.high)});
    if (typeof iv.low === 'number' && typeof iv.high === 'number' && scale > 0) {
      const range = el('span', {'class': 'range'});
      range.style.left = (100 * iv.low / scale) + '%';
      range.style.width = Math.max(0.5, 100 * (iv.high - iv.low) / scale) + '%';
      const dot = el('span', {'class': 'dot'});
      dot.style.left = (100 * (arm.rate || 0) / scale) + '%';
      bar.append(range, dot);
    }
    return bar;
  }

  function experiment(x, i) {
    const f = (k) => 'experiments[' + i + '].' + k;
    const [label, kind] = STATES[x.state] || [x.state, 'running'];
    const arms = x.arms || [];
    const scale = Math.min(1, Math.max(0.05, ...arms.map((a) => (a.interval && a.interval.high) || a.rate || 0)) * 1.15);
    const metric = String(x.metric || 'CONVERSION').toLowerCase();
    const d = x.decision;
    const head = el('div', {'class': 'x-head'},
        el('div', {}, el('h3', {}, x.name || x.stepId), el('div', {'class': 'muted small'}, x.experimentKey + ' · step ' + x.stepId)),
        el('div', {'class': 'x-state'}, el('span', {'class': 'badge ' + kind, 'data-field': f('state'), 'data-value': x.state}, label),
            x.winner ? el('span', {'class': 'winner'}, 'Winner: ', el('strong', {'data-field': f('winner'), 'data-value': x.winner}, x.winner)) : null));
    const facts = el('p', {'class': 'note'}, 'Metric: ' + metric + ' rate · a winner needs every arm at ',
        num(f('minSample'), x.minSample), ' journeys and one arm at ', num(f('threshold'), x.threshold, 'pct'),
        ' probability to be best', x.startedAt ? ' · started ' + x.startedAt.slice(0, 10) : '',
        d ? ' · decided ' + String(d.decidedAt || '').slice(0, 10) + (d.applied ? ', new entries take the winner' : '') : '',
        typeof x.nextLookAt === 'number'
          ? el('span', {}, ' · next look when every arm has ', num(f('nextLookAt'), x.nextLookAt), ' journeys',
              typeof x.nextLookProbability === 'number'
                ? el('span', {}, ' (a winner then needs ', num(f('nextLookProbability'), x.nextLookProbability, 'pct'), ')') : null)
          : null);
    const body = arms.length === 0 ? [emptyRow(10, 'No arm has journeys yet.')] : arms.map((a, j) => {
      const g = (k) => f('arms[' + j + '].' + k);
      const iv = a.interval || {};
      return el('tr', {'data-arm': a.arm, 'class': x.winner === a.arm ? 'win' : null},
          td(el('span', {}, el('strong', {}, a.arm), a.control ? badge('control', 'control') : null), 'text'),
          td(num(g('weight'), a.weight, 'plain', {title: 'weight'})),
          td(num(g('assigned'), a.assigned)), td(num(g('reached'), a.reached)), td(num(g('outcomes'), a.outcomes)),
          td(num(g('rate'), a.rate, 'pct')),
          td(el('span', {'class': 'nowrap'}, num(g('interval.low'), iv.low, 'pct'), ' – ', num(g('interval.high'), iv.high, 'pct'))),
          td(intervalBar(a, scale), 'bar-cell'),
          td(num(g('probabilityToBeBest'), a.probabilityToBeBest, 'pct')),
          td(num(g('revenuePerJourney'), a.revenuePerJourney, 'money')),
          td(a.upliftVsControl === null || a.upliftVsControl === undefined ? el('span', {'class': 'muted'}, LF.DASH)
              : num(g('upliftVsControl'), a.upliftVsControl, 'pct')));
    });
    const table = el('table', {'class': 'grid compact'},
        el('thead', {}, el('tr', {}, el('th', {'class': 'text'}, 'Arm'), el('th', {}, 'Weight'), el('th', {}, 'Assigned'), el('th', {}, 'Reached'),
            el('th', {}, metric === 'conversion' ? 'Converted' : metric === 'open' ? 'Opened' : 'Clicked'), el('th', {}, 'Rate'),
            el('th', {}, '95 % interval'), el('th', {'class': 'text'}, ''), el('th', {}, 'P(best)'), el('th', {}, 'Revenue / journey'),
            el('th', {}, 'Uplift vs control'))),
        el('tbody', {}, body));
    return el('article', {'class': 'experiment', 'data-experiment': x.experimentKey}, head, facts, table);
  }

  function experiments(answer) {
    const node = document.getElementById('experiments');
    if (!answer.ok) {
      node.replaceChildren(el('p', {'class': 'empty'}, 'Experiments could not be read: ' + problemText(answer)));
      return;
    }
    const list = Array.isArray(answer.body) ? answer.body : [];
    if (list.length === 0) {
      node.replaceChildren(el('p', {'class': 'empty'}, 'This campaign has no A/B split step.'));
      return;
    }
    node.replaceChildren(...list.map(experiment));
  }

  async function load() {
    const id = new URLSearchParams(location.search).get('id');
    const statusNode = document.getElementById('status');
    const p = period();
    const back = '/dashboard/' + (periodQuery(p).toString() ? '?' + periodQuery(p).toString() : '');
    document.getElementById('back').href = back;
    document.getElementById('crumb').href = back;
    if (!id) {
      status(statusNode, 'No campaign chosen: pick one on the campaigns page.', 'warn');
      document.body.dataset.loaded = 'error';
      return;
    }
    rangePicker(document.getElementById('range'), {id: id});
    status(statusNode, 'Loading the report…', 'info');
    const path = '/api/campaigns/' + encodeURIComponent(id);
    const [report, xs] = await Promise.all([api(path + '/report', periodQuery(p)), api(path + '/experiments')]);
    if (!report.ok) {
      status(statusNode, 'The report of campaign ' + id + ' could not be read: ' + problemText(report), 'error');
      document.getElementById('title').textContent = id;
      document.getElementById('content').hidden = false;
      for (const section of ['kpis']) document.getElementById(section).replaceChildren();
      experiments(xs);
      document.body.dataset.loaded = 'error';
      return;
    }
    const r = report.body;
    document.title = (r.campaignName || id) + ' · Loyalflow dashboard';
    document.getElementById('title').textContent = r.campaignName || id;
    document.getElementById('meta').replaceChildren(
        el('span', {'class': 'muted'}, id), ' · template ', el('strong', {}, r.template || ''),
        r.templateVersion ? ' v' + r.templateVersion : '',
        ' · ', el('span', {'data-field': 'from', 'data-value': r.from || ''}, (r.from || '').slice(0, 10)), ' → ',
        el('span', {'data-field': 'to', 'data-value': r.to || ''}, (r.to || '').slice(0, 10)));
    const csv = document.getElementById('csv');
    const csvQuery = periodQuery(p);
    csvQuery.set('format', 'csv');
    csv.href = path + '/report?' + csvQuery.toString();
    csv.hidden = false;
    if (r.template) {
      const cockpit = document.getElementById('cockpit');
      cockpit.href = '/dashboard/cockpit/' + encodeURIComponent(r.template);
      cockpit.hidden = false;
    }
    document.getElementById('generated').textContent = r.generatedAt ? 'Figures as of ' + r.generatedAt.replace('T', ' ').slice(0, 19) + ' UTC.' : '';
    status(statusNode, '');
    document.getElementById('content').hidden = false;
    document.getElementById('kpis').replaceChildren(...kpis(r.totals || {}));
    funnel(r);
    exits(r);
    messages(r);
    experiments(xs);
    daily(r);
    segments(r);
    window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
    document.body.dataset.loaded = 'true';
  }

  document.addEventListener('DOMContentLoaded', () => {
    load().catch((e) => {
      status(document.getElementById('status'), 'The dashboard failed: ' + e.message, 'error');
      document.body.dataset.loaded = 'error';
    });
  });
})();
