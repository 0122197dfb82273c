import { componentToken } from '../stack/component-token.js';
import { type Stack, stackComponent } from '../stack/stack.js';

/** What continuous training tells people about. */
export const alertKinds = [
  'run_failed',
  'run_crashed',
  'gate_refused',
  'model_promoted',
  'model_rolled_back',
  'trigger_fired',
  'drift_detected',
] as const;
export type AlertKind = (typeof alertKinds)[number];

export interface AlertEvent {
  readonly kind: AlertKind;
  readonly severity: 'info' | 'warning' | 'error';
  /** One line, e.g. `run r-12 of train failed`. */
  readonly title: string;
  /** More detail (the error, the reason, the evidence in words). */
  readonly text: string;
  /** Facts a receiver can filter on: run, pipeline, model, version, trigger… (never secrets). */
  readonly fields: Readonly<Record<string, string | number | boolean | null>>;
  readonly at: number;
}

/**
 * The alerter component: tells people (a chat channel, an incident tool, a log) what happened. Sending
 * must not throw for a delivery problem the caller cannot fix: flavors retry briefly and report.
 */
export interface Alerter {
  readonly flavor: string;
  send(event: AlertEvent): Promise<void>;
  close?(): Promise<void>;
}

/**
 * Sends `event` with the stack's alerter, if it has one. A failed delivery is written to stderr, never
 * thrown: an alert must not fail the run, the rollback or the firing it reports.
 */
export async function sendAlert(
  stack: Pick<Stack, 'extras'>,
  event: Omit<AlertEvent, 'at'>,
): Promise<boolean> {
  const alerter = stackComponent(stack, Alerter);
  if (!alerter) return false;
  try {
    await alerter.send({ ...event, at: Date.now() });
    return true;
  } catch (error) {
    process.stderr.write(
      `alert ${event.kind} not delivered (${alerter.flavor}): ${(error as Error).message}\n`,
    );
    return false;
  }
}

/** The alerter component's token: `context.component(Alerter)` is typed. */
export const Alerter = componentToken<Alerter>('alerter');
