/* 一屏统览: draws the figures of the JSON endpoint (data-url) with ECharts.
   Every number, bar and slice opens the ledger list of the rows behind it (the `q` the server
   gives). No figures are computed here. Modes: page, screen (大屏, 1920×1080 scaled), print. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.echarts) { return; }
  var mode = root.dataset.mode || "page";
  var big = mode === "screen";
  var COLOURS = { red: "#d93025", yellow: "#e8a317", green: "#1e8e3e" };
  var INK = big ? "#dce9ff" : "#243b53";
  var GRID = big ? "rgba(220,233,255,0.15)" : "#e4e7eb";
  var FONT = big ? 20 : 12;
  var charts = {};
  window.kpCharts = charts; // read by the browser tests (pixel of a bar) and the resize below

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "class") { node.className = attrs[k]; }
      else if (attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  function num(v, digits) {
    if (v === null || v === undefined) { return "—"; }
    return Number(v).toLocaleString("zh-CN", {
      minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0
    });
  }

  function pct(v) { return v === null || v === undefined ? "—" : Number(v).toFixed(1) + "%"; }

  var data = null;
  function href(q) { return q ? data.ledger_url + "?" + q : null; }
  function go(q) { if (q) { window.location.href = href(q); } }

  function kpi(id, label, value, unit, q, extra, cls, url) {
    var body = [
      el("div", { class: "label", text: label }),
      el("div", { class: "value" }, [
        document.createTextNode(value),
        unit ? el("small", { text: " " + unit }) : null
      ])
    ];
    if (extra) { body.push(el("div", { class: "small muted sub", text: extra })); }
    var target = url || href(q);
    return el(target ? "a" : "div", { class: "kpi " + (cls || ""), id: id, href: target }, body);
  }

  function drawKpis() {
    var box = document.getElementById("kpis");
    if (!box) { return; }
    var h = data.headline;
    var gap = h.investment_rate.value === null ? null
      : Math.round((h.investment_rate.value - h.expected_share.value) * 10) / 10;
    var gapText = gap === null ? "" : gap > 0 ? "快于序时进度" + gap.toFixed(1) + "个百分点"
      : gap < 0 ? "低于序时进度" + (-gap).toFixed(1) + "个百分点" : "与序时进度持平";
    box.textContent = "";
    [
      kpi("kpi-listed", "列入项目", num(h.listed.value), "个", h.listed.q, "含储备 " + h.reserve.value + " 个"),
      kpi("kpi-total", "年度建设项目", num(h.total.value), "个", h.total.q, "续建＋新开工"),
      kpi("kpi-started", "已开工", num(h.started.value), "个", h.started.q, "未开工 " + h.not_started.value + " 个"),
      kpi("kpi-start-rate", "开工率", pct(h.start_rate.value), "", h.start_rate.q),
      kpi("kpi-completed", "已完成投资", num(h.completed_wan.value, 2), "万元", h.completed_wan.q,
        "年度计划 " + num(h.annual_plan_wan.value, 2) + " 万元"),
      kpi("kpi-completion", "投资完成率", pct(h.investment_rate.value), "", h.investment_rate.q,
        "序时进度 " + pct(h.expected_share.value) + (gapText ? "，" + gapText : "")),
      kpi("kpi-behind", "未达序时进度", num(h.behind.value), "个", h.behind.q)
    ].concat(h.colours.map(function (c) {
      return kpi("kpi-" + c.colour, c.label, num(c.value), "个", c.q, null, "kpi-light kpi-" + c.colour);
    })).concat(h.unreported ? [
      kpi("kpi-unreported", "未报送", num(h.unreported.value), "个", null, "已开工未报调度", "", h.unreported.url)
    ] : []).forEach(function (n) { box.appendChild(n); });
  }

  function base() {
    return {
      animation: mode !== "print",
      textStyle: { fontSize: FONT, color: INK,
        fontFamily: "\"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif" },
      legend: { top: 0, textStyle: { color: INK, fontSize: FONT } },
      tooltip: { trigger: "axis", textStyle: { fontSize: big ? 18 : 12 } }
    };
  }

  function axis(extra) {
    return Object.assign({
      axisLabel: { color: INK, fontSize: FONT },
      axisLine: { lineStyle: { color: GRID } },
      splitLine: { lineStyle: { color: GRID } },
      nameTextStyle: { color: INK, fontSize: FONT }
    }, extra || {});
  }

  function chart(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    if (charts[id]) { charts[id].dispose(); }
    charts[id] = echarts.init(node, null, { renderer: mode === "print" ? "svg" : "canvas" });
    return charts[id];
  }

  function drawTrend() {
    var c = chart("chart-trend");
    if (!c) { return; }
    var t = data.trend;
    var plan = data.headline.annual_plan_wan.value;
    var narrow = document.getElementById("chart-trend").clientWidth < 560;
    c.setOption(Object.assign(base(), {
      grid: { left: big ? 110 : 70, right: 20, top: big ? 90 : narrow ? 84 : 60, bottom: big ? 40 : 30 },
      xAxis: axis({ type: "category", data: t.map(function (r) { return r.month + "月"; }),
        axisLabel: { color: INK, fontSize: FONT, interval: narrow ? "auto" : 0 } }),
      yAxis: axis({ type: "value", name: "万元" }),
      series: [
        { name: "当月完成投资", type: "bar", data: t.map(function (r) { return r.completed_wan; }),
          itemStyle: { color: "#2f6fbf" }, cursor: "pointer" },
        { name: "累计完成投资", type: "line", data: t.map(function (r) { return r.cumulative_wan; }),
          itemStyle: { color: "#c0392b" }, symbolSize: big ? 10 : 6 },
        { name: "序时进度应完成", type: "line", data: t.map(function (r) { return r.schedule_wan; }),
          lineStyle: { type: "dashed" }, itemStyle: { color: "#7b8794" }, symbolSize: big ? 8 : 4,
          markLine: { symbol: "none", silent: true, lineStyle: { color: "#9aa5b1" },
            label: { formatter: "年度计划 {c} 万元", color: INK, fontSize: FONT, position: "insideEndTop" },
            data: [{ yAxis: plan }] } }
      ]
    }));
    c.on("click", function (p) {
      var row = t[p.dataIndex];
      go(p.seriesIndex === 0 ? row.q : data.headline.completed_wan.q);
    });
  }

  function drawColours() {
    var c = chart("chart-colours");
    if (!c) { return; }
    var rows = data.headline.colours;
    c.setOption(Object.assign(base(), {
      tooltip: { trigger: "item", formatter: "{b}：{c}个（{d}%）" },
      series: [{
        name: "序时预警", type: "pie", radius: ["40%", "70%"], center: ["50%", "56%"],
        label: { formatter: "{b}\n{c}个", color: INK, fontSize: big ? 22 : 13 },
        data: rows.map(function (r) {
          return { name: r.label, value: r.value, itemStyle: { color: COLOURS[r.colour] } };
        })
      }]
    }));
    c.on("click", function (p) { go(rows[p.dataIndex].q); });
  }

  function drawDepts() {
    var c = chart("chart-depts");
    if (!c) { return; }
    var d = data.departments;
    var expected = data.headline.expected_share.value;
    c.setOption(Object.assign(base(), {
      grid: { left: big ? 80 : 50, right: 20, top: big ? 90 : 60, bottom: big ? 50 : 40 },
      xAxis: axis({ type: "category", data: d.map(function (r) { return r.name; }),
        axisLabel: { color: INK, fontSize: FONT, interval: 0, rotate: d.length > 8 ? 30 : 0 } }),
      yAxis: axis({ type: "value", name: "%" }),
      series: [
        { name: "投资完成率", type: "bar", cursor: "pointer",
          data: d.map(function (r) { return r.investment_rate; }), itemStyle: { color: "#2f6fbf" },
          markLine: { symbol: "none", silent: true, lineStyle: { color: "#c0392b", type: "dashed" },
            label: { formatter: "序时进度 {c}%", color: INK, fontSize: FONT, position: "insideEndTop" },
            data: [{ yAxis: expected }] } },
        { name: "开工率", type: "bar", cursor: "pointer",
          data: d.map(function (r) { return r.start_rate; }), itemStyle: { color: "#1e8e3e" } }
      ]
    }));
    c.on("click", function (p) {
      var r = d[p.dataIndex];
      go(p.seriesIndex === 1 ? r.q_started : r.q);
    });
  }

  function drawProblems() {
    var card = document.getElementById("problems-card");
    var block = data.blocks.problems;
    if (!card || !block || !block.by_level) { return; }
    card.hidden = false;
    var c = chart("chart-problems");
    var levels = Object.keys(block.by_level);
    var palette = { "蓝色": "#2f6fbf", "黄色": "#e8a317", "橙色": "#e8710a", "红色": "#d93025" };
    c.setOption(Object.assign(base(), {
      tooltip: { trigger: "item", formatter: "{b}：{c}个" },
      series: [{
        name: "督办级别", type: "pie", radius: ["35%", "65%"], center: ["50%", "56%"],
        label: { formatter: "{b}\n{c}个", color: INK, fontSize: big ? 20 : 12 },
        data: levels.map(function (k) {
          var colour = Object.keys(palette).filter(function (p) { return k.indexOf(p.charAt(0)) >= 0; })[0];
          return { name: k, value: block.by_level[k], itemStyle: colour ? { color: palette[colour] } : {} };
        })
      }]
    }));
    if (data.links.problems) {
      c.on("click", function (p) {
        window.location.href = data.links.problems + "&level=" + encodeURIComponent(levels[p.dataIndex]);
      });
    }
  }

  function drawRanking() {
    var card = document.getElementById("ranking-card");
    var rows = data.blocks.ranking;
    if (!card || !rows || !rows.length) { return; }
    card.hidden = false;
    var keys = Object.keys(rows[0]);
    var labels = {
      department: "单位", rank: "名次", score: "得分", name: "名称",
      by_indicator: "分项得分", list: "榜单"
    };
    // {"计划完成": "39.90", …} reads 计划完成39.90分、…: never raw JSON on a leader's screen.
    function cell(v) {
      if (v === null || v === undefined || v === "") { return "—"; }
      if (typeof v === "object") {
        return Object.keys(v).map(function (k) { return k + v[k] + "分"; }).join("、");
      }
      return String(v);
    }
    var table = el("table", { class: "grid" }, [
      el("thead", {}, [el("tr", {}, keys.map(function (k) { return el("th", { text: labels[k] || k }); }))]),
      el("tbody", {}, rows.map(function (r) {
        return el("tr", {}, keys.map(function (k) {
          return el("td", { text: cell(r[k]), class: k === "list" || k === "rank" ? "nowrap" : "" });
        }));
      }))
    ]);
    var box = document.getElementById("ranking");
    box.textContent = "";
    box.appendChild(table);
  }

  function drawFlagged() {
    var box = document.getElementById("flagged");
    if (!box) { return; }
    var f = data.flagged;
    var title = document.getElementById("flagged-title");
    if (title) {
      title.textContent = "红灯、黄灯项目（" + f.count + "个）";
      title.appendChild(el("a", { class: "small title-link", href: href(f.q_red), text: "全部红灯" }));
      title.appendChild(el("a", { class: "small title-link", href: href(f.q_yellow), text: "全部黄灯" }));
    }
    box.textContent = "";
    if (!f.rows.length) { box.appendChild(el("p", { class: "muted", text: "无红灯、黄灯项目" })); return; }
    box.appendChild(el("ul", { class: "flagged" }, f.rows.map(function (r) {
      return el("li", {}, [
        el("span", { class: "light light-" + r.colour, text: r.label }),
        el("a", { href: data.project_url.replace("{id}", r.id), text: r.name }),
        el("span", { class: "muted", text: "（" + r.department + "）" }),
        el("span", { class: "reason", text: r.reasons })
      ]);
    })));
    if (f.count > f.rows.length) {
      box.appendChild(el("p", { class: "small muted", text: "仅列出前" + f.rows.length + "个，点击上方“全部红灯”“全部黄灯”查看全部。" }));
    }
  }

  function drawBlocks() {
    var box = document.getElementById("blocks");
    if (!box) { return; }
    box.textContent = "";
    (data.blocks_text || []).forEach(function (b) {
      if (b.key === "ranking") { return; }
      var url = b.key === "reserve" ? href(data.headline.reserve.q) : data.links[b.key];
      var tile = el(url ? "a" : "div", { class: "card tile", id: "tile-" + b.key, href: url }, [
        el("h3", { text: b.title }),
        el("ul", {}, b.lines.map(function (l) { return el("li", { text: l }); }))
      ]);
      box.appendChild(tile);
    });
  }

  function render(payload) {
    data = payload;
    var loading = document.getElementById("dash-loading");
    if (loading) { loading.remove(); }
    drawKpis();
    drawTrend();
    drawColours();
    drawDepts();
    drawProblems();
    drawRanking();
    drawFlagged();
    drawBlocks();
    root.dataset.ready = "true";
  }

  function fail(err) {
    var loading = document.getElementById("dash-loading");
    if (loading) { loading.textContent = "数据载入失败：" + err.message + "。请刷新页面重试。"; }
  }

  function load() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
          return body;
        });
      })
      .then(render)
      .catch(fail);
  }

  // 大屏: a fixed 1920×1080 stage scaled to the screen, so it reads the same on any display.
  var stage = document.getElementById("stage");
  function fit() {
    if (stage) {
      var s = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
      stage.style.transform = "scale(" + s + ")";
    }
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  }
  window.addEventListener("resize", fit);
  fit();
  load();
  if (big) { window.setInterval(load, 5 * 60 * 1000); } // the wall screen stays current
})();
