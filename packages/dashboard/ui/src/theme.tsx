import { useState } from 'react';

type Theme = 'light' | 'dark' | 'system';

/** Follows the system by default; a choice is saved per browser (index.html applies it before paint). */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => {
    const t = document.documentElement.dataset.theme;
    return t === 'light' || t === 'dark' ? t : 'system';
  });
  const choose = (t: Theme) => {
    setTheme(t);
    if (t === 'system') {
      delete document.documentElement.dataset.theme;
      localStorage.removeItem('strata.theme');
    } else {
      document.documentElement.dataset.theme = t;
      localStorage.setItem('strata.theme', t);
    }
  };
  return (
    <label className="theme-toggle">
      <span className="sr-only">Theme</span>
      <select value={theme} onChange={(e) => choose(e.target.value as Theme)} aria-label="Theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
