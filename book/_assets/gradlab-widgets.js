/* Loaded on pages that show widgets, after require.js and before the widget manager
 * (_config.yml: nb_ipywidgets_js). Both fixes keep the page free of console errors. */
(function () {
  "use strict";
  // 1. The widget manager's bundle names its modules "@jupyter-widgets/html-manager/dist/..."
  //    and loads its icon fonts from the URL require.js gives that name: map the name to the
  //    folder the bundle is served from (relative to this page), or every font is a 404.
  var root = document.documentElement.dataset.content_root || "";
  window.require.config({
    paths: {"@jupyter-widgets/html-manager/dist": root + "_static/npm/html-manager"},
  });
  // 2. ipywidgets typesets widget labels with MathJax 2's API (MathJax.Hub.Queue); the book runs
  //    MathJax 3, whose script (deferred) has replaced window.MathJax by DOMContentLoaded. The
  //    widgets render later, on the load event.
  document.addEventListener("DOMContentLoaded", function () {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub || typeof mathjax.typesetPromise !== "function") {
      return;
    }
    mathjax.Hub = {
      Queue: function (command) {
        var element = command[2];
        mathjax.startup.promise.then(function () {
          return mathjax.typesetPromise([element]);
        });
      },
    };
  });
})();
