// Moved out of tips/templates/tips/public_form.html (CSP: no inline scripts).
(function () {
  const levels = ["province", "city", "county", "township"];
  const hidden = document.getElementById("id_township");
  const entSel = document.getElementById("id_enterprise");
  async function load(sel, parent) {
    const r = await fetch("/public/tips/regions/?parent=" + encodeURIComponent(parent || ""));
    const data = await r.json();
    const first = sel.options[0];
    sel.innerHTML = ""; sel.appendChild(first);
    for (const x of data.results) { const o = document.createElement("option"); o.value = x.code; o.textContent = x.name; sel.appendChild(o); }
  }
  async function loadEnterprises() {
    const t = hidden.value; const q = document.getElementById("ent-search").value;
    entSel.innerHTML = '<option value="">（不在名录中，请在下方填写名称）</option>';
    if (!t) return;
    const r = await fetch("/public/tips/enterprises/?township=" + t + "&q=" + encodeURIComponent(q));
    if (!r.ok) return;
    const data = await r.json();
    for (const x of data.results) { const o = document.createElement("option"); o.value = x.id; o.textContent = x.name; entSel.appendChild(o); }
    if (data.more) { const o = document.createElement("option"); o.disabled = true; o.textContent = "……还有其他单位，请输入更多名称缩小范围"; entSel.appendChild(o); }
  }
  levels.forEach(function (lvl, i) {
    const sel = document.getElementById("sel-" + lvl);
    sel.addEventListener("change", async function () {
      for (let j = i + 1; j < levels.length; j++) { const s = document.getElementById("sel-" + levels[j]); s.length = 1; }
      hidden.value = lvl === "township" ? sel.value : "";
      if (i + 1 < levels.length && sel.value) await load(document.getElementById("sel-" + levels[i + 1]), sel.value);
      await loadEnterprises();
    });
  });
  document.getElementById("ent-search").addEventListener("input", loadEnterprises);
  entSel.innerHTML = '<option value="">（不在名录中，请在下方填写名称）</option>';
  load(document.getElementById("sel-province"), "");
})();
