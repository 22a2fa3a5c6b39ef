// teimark reading edition: register cards. Hovering, focusing or tapping a
// highlighted name shows its index entry beside it; a second tap (or a
// click, or Enter) follows the link to the entry. Escape closes the card.
(function () {
  "use strict";
  var card = document.getElementById("card");
  if (!card) return;
  var current = null;
  var tapped = null;

  function show(el) {
    if (current === el && !card.hidden) return;
    var entry = document.getElementById(el.getAttribute("data-entry"));
    var content = entry && entry.querySelector(".card");
    card.replaceChildren();
    if (content) card.appendChild(content.cloneNode(true));
    var cert = el.getAttribute("data-cert");
    if (cert) {
      var p = document.createElement("p");
      p.textContent = "Identification uncertain (" + cert + " certainty).";
      card.appendChild(p);
    }
    if (entry) {
      var a = document.createElement("a");
      a.href = "#" + entry.id;
      a.textContent = "All occurrences in the index";
      card.appendChild(a);
    }
    card.hidden = false;
    var box = el.getBoundingClientRect();
    var host = card.offsetParent ? card.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left, width - card.offsetWidth - 8));
    card.style.left = left - host.left + "px";
    card.style.top = box.bottom - host.top + 4 + "px";
    if (current && current !== el) current.removeAttribute("aria-describedby");
    el.setAttribute("aria-describedby", "card");
    current = el;
  }

  function hide() {
    card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function follow(event) {
    var el = event.target.closest && event.target.closest(".ent");
    if (el) show(el);
    else if (!(event.target.closest && event.target.closest("#card"))) hide();
  }

  document.addEventListener("mouseover", follow);
  document.addEventListener("focusin", follow);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  document.addEventListener("pointerdown", function (event) {
    var el = event.target.closest && event.target.closest(".ent");
    tapped = el && event.pointerType !== "mouse" && current !== el ? el : null;
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest(".ent");
    if (el && el === tapped) {
      // The first tap on a touch screen shows the card.
      event.preventDefault();
      tapped = null;
      show(el);
    }
  });
})();
