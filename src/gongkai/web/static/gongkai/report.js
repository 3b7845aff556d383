// The report page: a finding's cell link scrolls to its cell in the table and highlights it;
// any cell clicked stays marked; the PDF page image zooms in place. Works without it (plain links).
(function () {
  "use strict";
  function cellOf(path) { return document.getElementById("c-" + path); }
  function mark(path, scroll) {
    document.querySelectorAll("td.v.selected, td.v.flash").forEach(function (td) {
      td.classList.remove("selected", "flash");
    });
    var td = cellOf(path);
    if (!td) return;
    td.classList.add("selected");
    if (scroll) {
      td.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
      void td.offsetWidth; // restart the animation when the same cell is picked twice
      td.classList.add("flash");
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-cell]");
    if (link) {
      mark(link.dataset.cell, link.dataset.scroll === "1");
      if (link.dataset.scroll === "1" && window.htmx) event.preventDefault();
      return;
    }
    var toggle = event.target.closest(".zoom-toggle");
    if (toggle) {
      var box = toggle.closest(".evidence").querySelector(".page-zoom");
      if (box) box.dataset.zoom = box.dataset.zoom === "on" ? "off" : "on";
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var path = new URLSearchParams(window.location.search).get("path");
    if (path) mark(path, true);
  });
})();
