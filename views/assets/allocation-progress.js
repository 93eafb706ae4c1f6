// The allocation page while a run is going: asks for its progress every second, moves the
// progress bar, and reloads the page (to show the result) once the run has ended.
(function () {
  'use strict';
  var box = document.querySelector('[data-progress-url]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-progress-url');
  var bar = box.querySelector('progress');
  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (state) {
        if (!state) return setTimeout(poll, 3000);
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + ' %'; }
        if (state.status !== 'running') return window.location.reload();
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
