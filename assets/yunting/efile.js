// Marks the chosen document in the catalogue tree when HTMX loads it into the viewer.
document.addEventListener("click", (event) => {
  const link = event.target.closest("#efile-tree a.yt-doc");
  if (!link) return;
  for (const other of document.querySelectorAll("#efile-tree a.yt-doc.active")) other.classList.remove("active");
  link.classList.add("active");
});
