// Vigil console: the only script of our own. Loaded as a file so the Content-Security-Policy can forbid inline script.
// It (1) adds the session's CSRF token to every htmx request, (2) draws charts from JSON in data-chart attributes,
// (3) shows htmx error responses as text, (4) wires the alert table's select-all box, (5) draws incident entity
// graphs. It never evaluates page data.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  var LEVEL_COLOURS = {
    critical: '#8e0b1f', high: '#d9480f', medium: '#e6a700', low: '#4c7dd1', informational: '#8a94a6'
  };

  function drawCharts(root) {
    if (typeof echarts === 'undefined') {
      return;
    }
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      var spec;
      try {
        spec = JSON.parse(el.getAttribute('data-chart'));
      } catch (e) {
        return;
      }
      var existing = echarts.getInstanceByDom(el);
      if (existing) {
        existing.dispose();
      }
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      if (spec.kind === 'graph') {
        chart.setOption(graphOption(spec));
        window.addEventListener('resize', function () { chart.resize(); });
        return;
      }
      var stacked = spec.kind === 'stacked';
      chart.setOption({
        animation: false,
        // Tooltips drawn on the canvas: HTML tooltips would need inline styles, which the policy forbids.
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        legend: stacked ? { top: 0 } : { show: false },
        grid: { left: 48, right: 16, top: stacked ? 32 : 12, bottom: 28 },
        xAxis: { type: 'category', data: spec.x },
        yAxis: { type: 'value', minInterval: 1 },
        series: spec.series.map(function (s) {
          var series = { name: String(s.name), type: 'bar', data: s.data };
          if (stacked) {
            series.stack = 'all';
            series.itemStyle = { color: LEVEL_COLOURS[s.name] || '#888' };
          }
          return series;
        })
      });
      window.addEventListener('resize', function () { chart.resize(); });
    });
  }

  var NODE_COLOURS = ['#1b5fbf', '#7b2cbf', '#2b7a0b', '#d9480f', '#6b7280', '#b58600'];

  // An incident's entity graph: nodes typed host/user/ip/process/file/domain (categories), edges labelled with their
  // kind. Names and labels are plain text drawn on the canvas.
  function graphOption(spec) {
    return {
      animation: false,
      color: NODE_COLOURS,
      tooltip: { renderMode: 'richText' },
      legend: { top: 0, data: spec.categories },
      series: [{
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 32,
        force: { repulsion: 220, edgeLength: [60, 140], gravity: 0.08, layoutAnimation: false },
        categories: spec.categories.map(function (c) { return { name: String(c) }; }),
        data: spec.nodes.map(function (n) {
          return { id: String(n.id), name: String(n.name), value: String(n.value), category: n.category, symbolSize: 18 };
        }),
        links: spec.links.map(function (l) {
          return { source: String(l.source), target: String(l.target), value: String(l.label) };
        }),
        label: { show: true, position: 'right', fontSize: 11 },
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 7,
        edgeLabel: { show: true, fontSize: 9, color: '#6b7280', formatter: function (p) { return p.data.value; } },
        lineStyle: { color: '#9aa5b8', curveness: 0.1 }
      }]
    };
  }

  function wireSelectAll(root) {
    root.querySelectorAll('input.select-all').forEach(function (box) {
      box.addEventListener('change', function () {
        var form = box.closest('form');
        form.querySelectorAll('input[name="alert"]:not([disabled])').forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
  }

  function showFlash(text) {
    var flash = document.getElementById('flash');
    if (!flash) {
      return;
    }
    flash.textContent = text;
    flash.hidden = !text;
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts(document);
    wireSelectAll(document);
    document.body.addEventListener('htmx:configRequest', function (e) {
      e.detail.headers['X-CSRF-Token'] = csrfToken();
    });
    document.body.addEventListener('htmx:afterSwap', function (e) {
      showFlash('');
      drawCharts(e.detail.target);
      wireSelectAll(e.detail.target);
    });
    document.body.addEventListener('htmx:responseError', function (e) {
      showFlash(e.detail.xhr.status + ': ' + e.detail.xhr.responseText);
    });
  });
}());
