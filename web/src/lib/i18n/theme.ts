// Colour theme: follow the system (prefers-color-scheme) unless the user picked light or dark,
// which is remembered and set as `data-theme` on <html> (app.css reads both).
export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

const KEY = 'crewdeck.theme';

function isTheme(value: unknown): value is Theme {
  return (themes as readonly unknown[]).includes(value);
}

export function readTheme(): Theme {
  try {
    const stored = localStorage.getItem(KEY);
    return isTheme(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.dataset.theme = theme;
}

/** Applies and remembers `theme`. */
export function changeTheme(theme: Theme): void {
  applyTheme(theme);
  try {
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Storage refused (private mode): the theme still applies to this page.
  }
}
