// Apply the saved theme before the first paint so a dark-theme user never sees a white flash.
// A file, not an inline script, so the page's Content-Security-Policy can forbid inline scripts.
try {
  const t = localStorage.getItem('strata.theme');
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch {}
