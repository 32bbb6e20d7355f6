// Small event helpers: an emitter that knows whether anyone listens (so costly payloads such as
// deltas are only built when needed) and a trailing throttle for chatty notifications.
import * as vscode from 'vscode';

export class ListenedEmitter<T> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T>();
  private listeners = 0;

  readonly event: vscode.Event<T> = (listener, thisArgs, disposables) => {
    this.listeners++;
    const subscription = this.emitter.event(listener, thisArgs);
    let disposed = false;
    const counted = new vscode.Disposable(() => {
      if (disposed) return;
      disposed = true;
      this.listeners--;
      subscription.dispose();
    });
    disposables?.push(counted);
    return counted;
  };

  get hasListeners(): boolean {
    return this.listeners > 0;
  }

  fire(value: T): void {
    this.emitter.fire(value);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Runs `action` at most once per `ms`, with the latest arguments, trailing edge included. */
export class Throttle<T> implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private pending: T | undefined;
  private hasPending = false;

  constructor(
    private readonly ms: number,
    private readonly action: (value: T) => void,
  ) {}

  push(value: T): void {
    this.pending = value;
    this.hasPending = true;
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.ms - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.hasPending) return;
    const value = this.pending as T;
    this.hasPending = false;
    this.pending = undefined;
    this.last = Date.now();
    this.action(value);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.hasPending = false;
  }
}
