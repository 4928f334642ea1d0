// Job pages: poll the job's status once a second and move the progress bar. Without this file
// the page still works: it shows the state when loaded and a link to load it again.
(function () {
  "use strict";

  const box = document.getElementById("job");
  if (!box || (box.dataset.status !== "queued" && box.dataset.status !== "running")) return;

  const bar = document.getElementById("job-progress");
  const message = document.getElementById("job-message");
  const refresh = document.getElementById("job-refresh");
  const INTERVAL = 1000;
  const MAX_DELAY = 30000;
  let delay = INTERVAL;

  if (refresh) refresh.hidden = true;

  function show(data) {
    bar.max = Math.max(data.total, 1);
    bar.value = data.done;
    bar.textContent = data.percent + "%";
    message.textContent = data.message;
  }

  function stop(text) {
    // Signed out, or no longer allowed: say so and stop; the link loads the page again.
    if (text) message.textContent = text;
    if (refresh) refresh.hidden = false;
  }

  function poll() {
    fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        const json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (response.status >= 400 && response.status < 500) {
          return json ? response.json().then(function (data) { stop(data.message); }) : stop();
        }
        if (!response.ok || !json) throw new Error("status " + response.status);
        return response.json().then(function (data) {
          delay = INTERVAL;
          show(data);
          if (data.active) {
            window.setTimeout(poll, delay);
          } else {
            window.location.reload(); // the finished page, with its download button or error
          }
        });
      })
      .catch(function () {
        // The network or the server is down for a moment: try again, less and less often.
        delay = Math.min(delay * 2, MAX_DELAY);
        if (refresh) refresh.hidden = false;
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
