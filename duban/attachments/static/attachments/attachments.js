// Attachment uploads: progress text while htmx sends the files, and a size check before it does.
// Loaded by every attachment panel; the guard keeps the listeners single when htmx re-inserts it.
(() => {
  if (window.dubanAttachments) return;
  window.dubanAttachments = true;

  const uploadForm = (event) => event.target.closest && event.target.closest("[data-attachment-upload]");
  const say = (form, text) => {
    const out = form.querySelector("[data-progress]");
    if (out) out.textContent = text;
  };

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = uploadForm(event);
    if (!form) return;
    const limit = Number(form.dataset.maxBytes || 0);
    const input = form.querySelector("input[type=file]");
    const tooLarge = Array.from(input ? input.files : []).filter((f) => limit && f.size > limit);
    if (tooLarge.length) {
      event.preventDefault();
      say(form, tooLarge.map((f) => `${f.name}：${form.dataset.msgTooLarge}`).join("；"));
      return;
    }
    say(form, form.dataset.msgUploading);
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = uploadForm(event);
    if (!form || !event.detail.lengthComputable) return;
    const done = Math.round((event.detail.loaded / event.detail.total) * 100);
    say(form, done >= 100 ? form.dataset.msgChecking : `${form.dataset.msgProgress} ${done}%`);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = uploadForm(event);
    if (!form || event.detail.successful) return;
    say(form, form.dataset.msgFailed);
    form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  });
})();
