// babelwire's own script: layer switches on the article page and "/" to search. No third-party code.
(function () {
  "use strict";
  var STORE_KEY = "babelwire-hidden-layers";

  function hiddenLayers() {
    try { return JSON.parse(window.localStorage.getItem(STORE_KEY) || "[]"); } catch (e) { return []; }
  }

  function saveHidden(list) {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(list)); } catch (e) { /* private mode: not remembered */ }
  }

  function setupLayers() {
    var article = document.getElementById("layered");
    var controls = document.getElementById("layer-controls");
    if (!article || !controls) { return; }
    var hidden = hiddenLayers();
    var boxes = controls.querySelectorAll("input[data-layer]");
    Array.prototype.forEach.call(boxes, function (box) {
      var layer = box.getAttribute("data-layer");
      box.checked = hidden.indexOf(layer) === -1;
      article.classList.toggle("hide-" + layer, !box.checked);
      box.addEventListener("change", function () {
        article.classList.toggle("hide-" + layer, !box.checked);
        var now = hiddenLayers().filter(function (name) { return name !== layer; });
        if (!box.checked) { now.push(layer); }
        saveHidden(now);
      });
    });
    controls.classList.add("ready");
  }

  function setupSearchKey() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      var tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
      var box = document.getElementById("q") || document.getElementById("quick-q");
      if (box) { event.preventDefault(); box.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupLayers();
    setupSearchKey();
  });
}());
