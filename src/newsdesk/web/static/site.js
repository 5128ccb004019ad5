// Progressive enhancement only: every page reads and works without this file.
// Shows the copy-link button, and the Web Share button where the browser has
// navigator.share. No inline script anywhere: the CSP forbids it.
(function () {
  "use strict";

  function say(section, text) {
    var status = section && section.querySelector(".copy-status");
    if (status) status.textContent = text;
  }

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(field);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return copyWithSelection(text);
  }

  document.querySelectorAll("button.copy-link").forEach(function (button) {
    var section = button.closest("section");
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button.dataset.url).then(
        function () { say(section, "Link copied to the clipboard."); },
        function () { say(section, "Could not copy: select the link below instead."); }
      );
    });
  });

  if (typeof navigator.share === "function") {
    document.querySelectorAll("button.web-share").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
      });
    });
  }
})();
