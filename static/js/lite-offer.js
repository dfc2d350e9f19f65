// Offer the lite page when the live connection cannot start (a proxy that breaks WebSockets and
// long-polling, a browser that runs scripts only in part, a very bad link): a classic script, so
// that it runs even where ES modules do not. live.js sets <html data-socket="online|offline|...">.
(function () {
  var offer = document.getElementById("lite-offer");
  if (!offer) return;
  var shown = false;
  function show() {
    if (shown) return;
    shown = true;
    offer.hidden = false;
  }
  function hide() {
    shown = false;
    offer.hidden = true;
  }
  var everOnline = false;
  var offlineSince = null;
  function check() {
    var state = document.documentElement.getAttribute("data-socket");
    if (state === "online") {
      everOnline = true;
      offlineSince = null;
      hide();
      return;
    }
    if (offlineSince === null) offlineSince = Date.now();
    // Never connected after 10 s, or lost for 20 s: the simple page works over plain requests.
    if ((!everOnline && Date.now() - offlineSince >= 10000) || Date.now() - offlineSince >= 20000) show();
  }
  if (typeof window.io === "undefined") show(); // the socket library itself did not load
  window.setInterval(check, 2000);
})();
