// Small behaviours the pages share. No inline scripts anywhere (strict CSP): everything is here.
"use strict";

// <form data-confirm="Question?"> asks before it submits an action that is hard to undo.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
