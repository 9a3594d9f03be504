// The public verify page: hash the chosen PDF in the browser (the file is not uploaded) and check the inclusion
// proof and the tree head's Ed25519 signature again with WebCrypto (RFC 9162 §2.1.3.2, step by step).
(function () {
  "use strict";
  function text() {
    var el = document.getElementById("verify-text");
    return el ? JSON.parse(el.textContent) : {};
  }
  const subtle = window.crypto && window.crypto.subtle;
  const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const cat = (...parts) => { const n = parts.reduce((a, p) => a + p.length, 0), out = new Uint8Array(n); let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; } return out; };
  const sha = async (bytes) => new Uint8Array(await subtle.digest("SHA-256", bytes));
  const eq = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  function wireForm(t) {
    const form = document.getElementById("verify-form"), file = document.getElementById("file");
    const drop = document.getElementById("drop"), note = document.getElementById("drop-note");
    if (!form || !file) return;
    if (!subtle) { if (note) note.textContent = t.insecure; return; }
    async function hashAndGo(f) {
      if (note) note.textContent = t.hashing;
      const digest = hex(await subtle.digest("SHA-256", await f.arrayBuffer()));
      window.location.search = "?sha256=" + digest;
    }
    const uploadForSignatures = () => document.getElementById("check-signatures").checked;
    form.addEventListener("submit", (ev) => {
      if (file.files.length && !uploadForSignatures()) { ev.preventDefault(); hashAndGo(file.files[0]); } });
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("yt-drop-over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("yt-drop-over"));
    drop.addEventListener("drop", (ev) => { ev.preventDefault(); drop.classList.remove("yt-drop-over");
      if (!ev.dataTransfer.files.length) return;
      if (uploadForSignatures()) { file.files = ev.dataTransfer.files; form.submit(); } else hashAndGo(ev.dataTransfer.files[0]); });
  }

  async function browserCheck(t) {
    const el = document.getElementById("proof-data"), out = document.getElementById("browser-check");
    if (!el || !out) return;
    if (!subtle) { out.textContent = t.needsHttps; return; }
    const d = JSON.parse(el.textContent), leafInput = b64(d.leaf_input_b64);
    const listed = JSON.parse(new TextDecoder().decode(leafInput)).documents.includes(d.sha256);
    let r = await sha(cat(new Uint8Array([0]), leafInput)), fn = d.leaf_index, sn = d.tree_size - 1, ok = listed;
    for (const p64 of d.audit_path_b64) {
      const p = b64(p64);
      if (sn === 0) { ok = false; break; }
      if ((fn & 1) || fn === sn) {
        r = await sha(cat(new Uint8Array([1]), p, r));
        if (!(fn & 1)) { while (fn && !(fn & 1)) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
      } else { r = await sha(cat(new Uint8Array([1]), r, p)); }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    ok = ok && sn === 0 && eq(r, b64(d.sth.sha256_root_hash));
    let sig = t.sigServer;
    try {
      const der = b64(d.public_key.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""));
      const key = await subtle.importKey("spki", der, { name: "Ed25519" }, false, ["verify"]);
      const head = new Uint8Array(18), view = new DataView(head.buffer);
      head[0] = 0; head[1] = 1;
      view.setBigUint64(2, BigInt(d.sth.timestamp)); view.setBigUint64(10, BigInt(d.sth.tree_size));
      const good = await subtle.verify({ name: "Ed25519" }, key, b64(d.sth.tree_head_signature),
                                       cat(head, b64(d.sth.sha256_root_hash)));
      sig = good ? t.sigOk : t.sigBad;
      ok = ok && good;
    } catch (e) { /* this browser has no Ed25519 in WebCrypto */ }
    out.className = ok ? "text-success ok" : "text-danger bad";
    out.textContent = (ok ? t.ok : t.bad) + " " + hex(r) + " · " + sig;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const t = text();
    wireForm(t);
    browserCheck(t);
  });
})();
