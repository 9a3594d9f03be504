// The e-file's PDF viewer: pdf.js renders one page at a time into a canvas, with page navigation and zoom.
// Every URL it needs (the document, worker, cmaps, fonts) comes from data attributes the server renders, so all
// of it is served locally. Our PDFs use the non-embedded CID font STSong-Light: pdf.js needs the packed cmaps
// and standard font data to draw Chinese text.
import * as pdfjsLib from "pdfjs-dist";

const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

class PdfViewer {
  constructor(root) {
    this.root = root;
    this.canvas = root.querySelector("[data-role=canvas]");
    this.stage = root.querySelector("[data-role=stage]");
    this.status = root.querySelector("[data-role=status]");
    this.pageInput = root.querySelector("[data-role=page]");
    this.pagesLabel = root.querySelector("[data-role=pages]");
    this.zoomLabel = root.querySelector("[data-role=zoom]");
    this.pageNumber = 1;
    this.scale = null; // null = fit width
    this.renderTask = null;
    this.pendingPage = null;
    root.addEventListener("click", (event) => this.onClick(event));
    this.pageInput.addEventListener("change", () => this.go(parseInt(this.pageInput.value, 10)));
    this.stage.addEventListener("keydown", (event) => {
      if (event.key === "ArrowRight" || event.key === "PageDown") this.go(this.pageNumber + 1);
      if (event.key === "ArrowLeft" || event.key === "PageUp") this.go(this.pageNumber - 1);
    });
    this.stage.tabIndex = 0;
  }

  async open() {
    const d = this.root.dataset;
    pdfjsLib.GlobalWorkerOptions.workerSrc = d.workerSrc;
    try {
      this.doc = await pdfjsLib.getDocument({
        url: d.pdfUrl,
        cMapUrl: d.cmapUrl,
        cMapPacked: true,
        standardFontDataUrl: d.standardFontUrl,
        wasmUrl: d.wasmUrl,
        iccUrl: d.iccUrl,
        isEvalSupported: false, // no eval under the Content-Security-Policy
      }).promise;
    } catch (error) {
      this.fail(error);
      return;
    }
    this.pagesLabel.textContent = this.doc.numPages;
    this.pageInput.max = this.doc.numPages;
    await this.render(1);
  }

  onClick(event) {
    const button = event.target.closest("[data-action]");
    if (!button || !this.doc) return;
    const action = button.dataset.action;
    if (action === "prev") this.go(this.pageNumber - 1);
    if (action === "next") this.go(this.pageNumber + 1);
    if (action === "zoom-in") this.zoom(+1);
    if (action === "zoom-out") this.zoom(-1);
    if (action === "fit") { this.scale = null; this.render(this.pageNumber); }
  }

  go(n) {
    if (!this.doc || !Number.isInteger(n) || n < 1 || n > this.doc.numPages) {
      this.pageInput.value = this.pageNumber;
      return;
    }
    this.render(n);
  }

  zoom(direction) {
    const current = this.currentScale || 1;
    const steps = direction > 0 ? ZOOM_STEPS.filter((s) => s > current + 0.01) : ZOOM_STEPS.filter((s) => s < current - 0.01).reverse();
    if (steps.length) { this.scale = steps[0]; this.render(this.pageNumber); }
  }

  async render(n) {
    if (this.renderTask) { // a new request replaces the page being drawn
      this.pendingPage = n;
      this.renderTask.cancel();
      return;
    }
    const page = await this.doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const available = Math.max(this.stage.clientWidth - 32, 200);
    const scale = this.scale ?? available / base.width;
    this.currentScale = scale;
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.floor(viewport.width * ratio);
    this.canvas.height = Math.floor(viewport.height * ratio);
    this.canvas.style.width = `${Math.floor(viewport.width)}px`;
    this.canvas.style.height = `${Math.floor(viewport.height)}px`;
    const canvasContext = this.canvas.getContext("2d");
    this.renderTask = page.render({
      canvas: this.canvas, canvasContext, viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    try {
      await this.renderTask.promise;
      this.pageNumber = n;
      this.pageInput.value = n;
      this.zoomLabel.textContent = `${Math.round(scale * 100)}%`;
      this.status.hidden = true;
      this.root.dataset.renderedPage = String(n);
      this.root.dispatchEvent(new CustomEvent("yunting:pagerendered", { bubbles: true, detail: { page: n } }));
    } catch (error) {
      if (error?.name !== "RenderingCancelledException") this.fail(error);
    } finally {
      this.renderTask = null;
      if (this.pendingPage !== null) {
        const next = this.pendingPage;
        this.pendingPage = null;
        this.render(next);
      }
    }
  }

  fail(error) {
    console.warn("pdf viewer:", error);
    this.status.hidden = false;
    this.status.textContent = this.root.dataset.errorText;
    this.root.dataset.error = "1";
  }
}

function initViewers(scope = document) {
  for (const root of scope.querySelectorAll("[data-pdf-url]:not([data-ready])")) {
    root.dataset.ready = "1";
    new PdfViewer(root).open();
  }
}

initViewers();
document.body.addEventListener("htmx:afterSettle", () => initViewers());
