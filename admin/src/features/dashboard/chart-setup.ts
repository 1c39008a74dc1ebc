import { BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip } from 'chart.js';

/** Only the chart.js pieces the dashboard draws (keeps the lazy dashboard chunk small). */
Chart.register(BarElement, CategoryScale, LinearScale, LineElement, PointElement, Tooltip, Legend, Filler);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';
Chart.defaults.maintainAspectRatio = false;

/** Aura's palette (emerald primary). */
export const COLORS = {
  confirmed: '#10b981',
  held: '#fbbf24',
  free: '#e2e8f0',
  waitlist: '#6366f1',
  sessions: '#0ea5e9',
  attendance: '#10b981',
};
