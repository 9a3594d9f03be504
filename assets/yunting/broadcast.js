// Live Q&A: poll the session every 3 s (status, counts, the judge's answers, published questions; the host also
// gets the questions waiting). The public page sends questions with fetch and shows the answer inline.
(function () {
  const root = document.getElementById("bc-root");
  if (!root) return;
  const part = (name) => root.querySelector(`[data-bc="${name}"]`);
  const role = root.dataset.role;
  let after = 0;
  const seenQuestions = new Set();
  const text = (tag, value, cls) => { const el = document.createElement(tag); el.textContent = value; if (cls) el.className = cls; return el; };
  const csrf = () => (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function render(data) {
    part("status").textContent = data.status_label;
    part("live").textContent = data.viewers.live;
    part("total").textContent = data.viewers.total;
    const posts = part("posts");
    for (const p of data.posts) {
      const box = document.createElement("div");
      box.className = "mb-2";
      if (p.question) box.appendChild(text("div", "问：" + p.question, "small text-secondary"));
      box.appendChild(text("div", p.text));
      posts.appendChild(box);
      after = Math.max(after, p.id);
    }
    const list = part("questions");
    list.replaceChildren(...data.questions.map((q) => {
      const li = text("li", "", "list-group-item small");
      li.appendChild(text("span", q.by + "：", "text-secondary"));
      li.appendChild(text("span", q.text));
      return li;
    }));
    const pending = part("pending");
    if (pending && data.pending) {
      pending.replaceChildren(...data.pending.map((q) => {
        const li = text("li", "", "list-group-item small d-flex flex-wrap gap-2 align-items-center");
        li.appendChild(text("span", q.by + "：" + q.text, "flex-grow-1"));
        for (const [op, label, cls] of [["publish", "公开", "btn-outline-success"], ["reject", "不公开", "btn-outline-secondary"]]) {
          const f = document.createElement("form");
          f.method = "post"; f.action = root.dataset.ask;
          for (const [k, v] of [["csrfmiddlewaretoken", pending.dataset.csrf], ["op", op], ["question", q.id]]) {
            const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
          }
          f.appendChild(text("button", label, "btn btn-sm " + cls));
          li.appendChild(f);
        }
        return li;
      }));
      const select = part("answer-to");
      if (select) {
        for (const q of [...data.pending, ...data.questions]) {
          if (seenQuestions.has(q.id)) continue;
          seenQuestions.add(q.id);
          const o = document.createElement("option"); o.value = q.id; o.textContent = q.text.slice(0, 40); select.appendChild(o);
        }
      }
    }
  }

  async function tick() {
    try {
      const r = await fetch(`${root.dataset.live}?after=${after}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.ok) render(await r.json());
    } catch (e) { /* offline for a moment: the next tick tries again */ }
  }
  tick();
  setInterval(tick, 3000);

  const ask = part("public-ask");
  if (ask) {
    ask.addEventListener("submit", async (e) => {
      e.preventDefault();
      const r = await fetch(root.dataset.ask, { method: "POST", body: new FormData(ask), credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf() } });
      const data = await r.json();
      part("ask-result").textContent = data.message || "";
      if (r.ok) ask.reset();
    });
  }
})();
