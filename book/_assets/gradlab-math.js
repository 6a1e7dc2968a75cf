// Inline formulas wider than the text column (long ones, on a phone) get a scroll box of their
// own instead of being cut off or widening the page. Only those: ordinary inline math keeps
// its baseline alignment, which a scroll box would lose.
(function () {
  "use strict";
  function fitWideMath() {
    document.querySelectorAll('mjx-container:not([display="true"])').forEach(function (math) {
      math.classList.remove("gradlab-wide-math");
      var column = math.parentElement;
      if (column && math.getBoundingClientRect().width > column.getBoundingClientRect().width + 1) {
        math.classList.add("gradlab-wide-math");
      }
    });
  }
  function afterTypesetting() {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(fitWideMath);
    } else {
      setTimeout(afterTypesetting, 100);  // MathJax loads deferred; wait for it to start
    }
  }
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(fitWideMath, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", afterTypesetting);
  } else {
    afterTypesetting();
  }
})();
