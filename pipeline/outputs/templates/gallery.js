(function () {
  var videos = document.querySelectorAll("video");
  var loaded = 0, failed = 0, status = document.getElementById("status");
  function update() {
    status.textContent = loaded + " of " + videos.length + " videos ready" +
      (failed ? ", " + failed + " failed to load" : "");
    document.body.setAttribute("data-videos-loaded", loaded);
    document.body.setAttribute("data-videos-failed", failed);
  }
  // Each video counts once: a browser may fire loadedmetadata again (a reload of the source),
  // or before this script's readyState check sees it.
  function ready(v) {
    if (v.hasAttribute("data-duration")) { return; }
    v.setAttribute("data-duration", v.duration.toFixed(2)); loaded++; update();
  }
  videos.forEach(function (v) {
    v.addEventListener("loadedmetadata", function () { ready(v); });
    v.addEventListener("error", function () { failed++; update(); }, true);
    if (v.readyState >= 1) { ready(v); }
  });
  document.querySelectorAll("select.speed").forEach(function (s) {
    s.addEventListener("change", function () {
      document.getElementById(s.getAttribute("data-video")).playbackRate = parseFloat(s.value);
    });
  });
  document.querySelectorAll(".chapters li, .transcript p").forEach(function (li) {
    li.addEventListener("click", function () {
      var v = document.getElementById(li.getAttribute("data-video"));
      v.currentTime = parseFloat(li.getAttribute("data-start")); v.play();
    });
  });
  // Every captions and chapters track loads (the default one shows; the others stay hidden
  // until chosen), and says so, for the gallery's browser test.
  var tracks = 0;
  document.querySelectorAll("track").forEach(function (t) {
    var counted = false;  // once, like the videos
    function trackLoaded() {
      if (counted) { return; }
      counted = true; tracks++; document.body.setAttribute("data-tracks-loaded", tracks);
    }
    t.addEventListener("load", trackLoaded);
    if (t.readyState === 2) { trackLoaded(); }
    if (!t.default) { t.track.mode = "hidden"; }
  });
  if (location.hash === "#selftest") {  // the browser test: a transcript click seeks
    var p = document.querySelectorAll(".transcript p")[2];
    if (p) {
      var v = document.getElementById(p.getAttribute("data-video"));
      v.muted = true;
      v.addEventListener("seeked", function () {
        document.body.setAttribute("data-seeked", v.currentTime.toFixed(2));
      });
      p.click();
    }
  }
  update();
})();
