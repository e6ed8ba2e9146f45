// Vigil console: the only script of our own. Loaded as a file so the Content-Security-Policy can forbid inline script.
// It (1) adds the session's CSRF token to every htmx request, (2) draws charts from JSON in data-chart attributes,
// (3) shows htmx error responses as text, (4) wires the alert table's select-all box. It never evaluates page data.
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
