// Added by book/_ext/course_site.py before require.js on pages with widgets. The widget manager
// (embed-amd.js) asks for its icon fonts next to where require.js thinks its module lives: by
// default "@jupyter-widgets/html-manager[/dist]/" under the page's own folder, which 404s. This
// require.js configuration (read by require.js when it loads) places both module names that
// embed-amd.js defines in _static/widgets/, where the build copies the fonts.
(function () {
  var widgets = new URL("widgets", document.currentScript.src).href;
  window.require = {
    paths: {
      "@jupyter-widgets/html-manager/dist": widgets,
      "@jupyter-widgets/html-manager": widgets + "/html-manager",
    },
  };
})();
