import { useSyncExternalStore } from 'react';
import './elder.css';

// Elder mode (长辈模式): larger type, bigger targets, higher contrast. Remembered per device.
const KEY = 'linli.elderMode';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

function apply(on: boolean): void {
  document.documentElement.classList.toggle('elder-mode', on);
}

export function applyElderModeAtStart(): void {
  apply(read());
}

export function setElderMode(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    /* ignore */
  }
  apply(on);
  listeners.forEach((l) => l());
}

export function useElderMode(): boolean {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, read);
}
