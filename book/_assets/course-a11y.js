// Accessibility of the course site's simulations (added to every page by book/_ext/course_site.py).
//
// ipywidgets draws a slider as a <label> next to a noUiSlider handle (<div role="slider">) that
// has no accessible name: a screen reader announced "slider, 2" without saying which one
// (axe-core: aria-input-field-name). The widget manager offers no option to name the handle, so
// this script gives each handle the text of its widget's label, as soon as the widget is drawn.
(function () {
  "use strict";

  function nameSliders(root) {
    root.querySelectorAll(".noUi-handle[role='slider']:not([aria-label])").forEach(function (handle) {
      var widget = handle.closest(".widget-slider, .widget-hslider, .widget-vslider, .jupyter-widgets");
      var label = widget && widget.querySelector("label.widget-label");
      var text = label ? label.textContent.trim() : "";
      if (text) {
        handle.setAttribute("aria-label", text);
      }
    });
  }

  function start() {
    nameSliders(document);
    new MutationObserver(function () {
      nameSliders(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
