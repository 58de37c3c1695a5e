// The server's clock, as seen from the page. The start time and "now" come
// from the server; the browser only measures how much time passed since
// (performance.now() is monotonic, so changing the computer's clock does not
// move the countdown). Every autosave response re-syncs it.

export class ServerClock {
  constructor(serverNowMs) {
    this.sync(serverNowMs);
  }

  sync(serverNowMs) {
    if (!Number.isFinite(serverNowMs)) return;
    this.base = serverNowMs;
    this.mark = performance.now();
  }

  now() {
    return this.base + (performance.now() - this.mark);
  }
}

export function formatDuration(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(s).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Count down from the suggested time; past zero keep counting up (overtime).
 * `onTick({remaining, overtime})` runs every second; `onZero()` once, when
 * the countdown reaches zero (also if it already has when the page opens).
 */
export function startCountdown({ clock, startedAt, minutes, onTick, onZero }) {
  const deadline = startedAt + minutes * 60000;
  let fired = false;
  const tick = () => {
    const remaining = deadline - clock.now();
    const overtime = remaining <= 0;
    onTick({ remaining, overtime, elapsed: clock.now() - startedAt });
    if (overtime && !fired) {
      fired = true;
      if (onZero) onZero();
    }
  };
  tick();
  // Align ticks to the next whole second so the display never skips one.
  const timer = { id: null };
  const schedule = () => {
    const delay = 1000 - (Math.floor(deadline - clock.now()) % 1000 + 1000) % 1000 || 1000;
    timer.id = setTimeout(() => {
      tick();
      schedule();
    }, Math.min(Math.max(delay, 50), 1000));
  };
  schedule();
  return () => clearTimeout(timer.id);
}
