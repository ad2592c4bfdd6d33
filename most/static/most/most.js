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
