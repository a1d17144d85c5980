// charts.js - the charts (Chart.js, bundled: nothing is fetched at run time) with the
// application's colours and labelled axes: attainment against the pace line, bars per month
// or component.
import {
  Chart, LineController, BarController, LineElement, BarElement, PointElement, LinearScale,
  CategoryScale, Legend, Tooltip, Filler, DoughnutController, ArcElement,
} from 'chart.js';
import { h } from './dom.js';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale,
  CategoryScale, Legend, Tooltip, Filler, DoughnutController, ArcElement);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#475569';
Chart.defaults.animation = false;

export const palette = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6', '#14b8a6', '#f97316', '#64748b', '#ec4899'];

/* A canvas in a sized box; the chart is drawn once the box is in the page. */
export function chartBox(config, height = 280) {
  const canvas = h('canvas');
  const box = h('div.chart', { style: { height: height + 'px' } }, canvas);
  requestAnimationFrame(() => { box._chart = new Chart(canvas, config); });
  return box;
}

export function axisTitle(text) {
  return { display: true, text, color: '#334155', font: { weight: '600' } };
}
