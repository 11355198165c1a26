// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no layout: Grafana's Combobox measures option text on a canvas, and scenes watch visibility.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { measureText: (text) => ({ width: String(text).length * 7 }), font: '' };
};

class NoLayoutIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = global.IntersectionObserver || NoLayoutIntersectionObserver;

// jsdom has no layout: Grafana's Drawer and panel chrome watch their size.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
global.ResizeObserver = global.ResizeObserver || NoLayoutResizeObserver;
