// Live case journal: listens on /ws/cases/<id>/ and prepends entries as they are appended. Without WebSockets
// (or when the server has none) the page simply stays as rendered; a reload shows new entries.
(function () {
  const list = document.getElementById("journal-timeline");
  const badge = document.getElementById("journal-live");
  if (!list || !("WebSocket" in window)) return;
  const labelsNode = document.getElementById("entry-kind-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
  const timeFormat = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  let attempts = 0;

  function setLive(on) {
    if (!badge) return;
    badge.dataset.state = on ? "on" : "off";
    badge.textContent = on ? badge.dataset.labelOn : badge.dataset.labelOff;
    badge.classList.toggle("text-bg-success", on);
    badge.classList.toggle("text-bg-light", !on);
  }

  function prepend(entry) {
    if (list.querySelector(`[data-seq="${entry.seq}"]`)) return;
    list.querySelector(".yt-timeline-empty")?.remove();
    const item = document.createElement("li");
    item.className = "yt-timeline-item yt-new";
    item.dataset.seq = entry.seq;
    const head = document.createElement("div");
    head.className = "d-flex justify-content-between gap-2";
    const kind = document.createElement("span");
    kind.className = "fw-semibold";
    kind.textContent = labels[entry.kind] || entry.kind;
    const seq = document.createElement("span");
    seq.className = "text-secondary small text-nowrap";
    seq.textContent = `#${entry.seq}`;
    head.append(kind, seq);
    const meta = document.createElement("div");
    meta.className = "small text-secondary";
    const when = document.createElement("time");
    when.dateTime = entry.recorded_at;
    when.textContent = timeFormat.format(new Date(entry.recorded_at));
    meta.append(when, ` · ${entry.actor || ""}`);
    item.append(head, meta);
    list.prepend(item);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}${list.dataset.wsPath}`);
    socket.addEventListener("open", () => { attempts = 0; setLive(true); });
    socket.addEventListener("message", (event) => {
      try { prepend(JSON.parse(event.data)); } catch (error) { console.warn("case feed:", error); }
    });
    socket.addEventListener("close", (event) => {
      setLive(false);
      // 4404: not allowed or no such case; otherwise retry a few times with growing pauses.
      if (event.code === 4404 || attempts >= 5) return;
      attempts += 1;
      setTimeout(connect, 2000 * attempts);
    });
  }
  connect();
})();
