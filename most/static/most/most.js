// Small behaviours the pages share. No inline scripts anywhere (strict CSP): everything is here.
"use strict";

// <form data-confirm="Question?"> asks before it submits an action that is hard to undo.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// The error summary links each field in error: following a link puts the cursor in the field
// (a link to an input only scrolls to it), with its label in view.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest(".form-errors a[href^='#']");
  const field = link && document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    const label = document.querySelector(`label[for="${field.id}"]`) || field;
    label.scrollIntoView({block: "start"});
    field.focus({preventScroll: true});
  }
});

// <button data-print> prints the page (the print stylesheet leaves out what paper does not need).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});

// The finder's map: Leaflet and its tiles are loaded only when the visitor asks for the map, so
// the list stays light on a slow connection and works without JavaScript.
function loadOnce(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = document.createElement(tag);
    Object.assign(element, attributes);
    element.onload = resolve;
    element.onerror = reject;
    document.head.appendChild(element);
  });
}

document.addEventListener("click", async (event) => {
  const toggle = event.target.closest && event.target.closest("[data-map-toggle]");
  if (!toggle) {
    return;
  }
  const container = document.getElementById(toggle.getAttribute("aria-controls"));
  const showing = toggle.getAttribute("aria-expanded") === "true";
  toggle.setAttribute("aria-expanded", String(!showing));
  container.hidden = showing;
  if (showing || container.dataset.ready) {
    return;
  }
  container.dataset.ready = "yes";
  if (!window.L) {
    await Promise.all([
      loadOnce("link", {rel: "stylesheet", href: container.dataset.leafletCss}),
      loadOnce("script", {src: container.dataset.leafletJs}),
    ]);
  }
  const places = JSON.parse(document.getElementById("map-places").textContent);
  const map = window.L.map(container);
  window.L.tileLayer(container.dataset.tiles, {
    maxZoom: 18,
    attribution: container.dataset.attribution,
  }).addTo(map);
  const markers = places.map((place) => {
    const popup = document.createElement("div");
    const link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.name;
    popup.append(link, document.createElement("br"), place.address);
    return window.L.marker([place.lat, place.lon], {title: place.name, alt: place.name})
      .bindPopup(popup);
  });
  const group = window.L.featureGroup(markers).addTo(map);
  map.fitBounds(group.getBounds().pad(0.2), {maxZoom: 15});
});
