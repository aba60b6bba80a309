import type { ControlCommand } from '../../../shared/protocol/control';
import type { ProtocolError } from '../../../shared/protocol/errors';

/**
 * What the therapist sees for each command: 'sent' until the headset answers through the server,
 * then 'applied' or 'failed' with the reason. The server times out after CONTROL_ACK_TIMEOUT_MS;
 * the client keeps its own, longer, deadline in case the answer itself is lost.
 */
export type ControlStatus = 'sent' | 'applied' | 'failed';

export interface ControlEntry {
  commandId: string;
  command: ControlCommand;
  /** what the command controls, so the UI shows one status per control */
  key: string;
  status: ControlStatus;
  sentAtMs: number;
  answeredAtMs: number | null;
  error: string | null;
  /** An `end` the server applied itself: the headset was gone (it learns it when it is back). */
  endedByServer: boolean;
}

export interface ControlState {
  /** newest last, at most MAX_CONTROL_ENTRIES */
  entries: ControlEntry[];
}

export const MAX_CONTROL_ENTRIES = 50;

export type ControlEvent =
  | { type: 'sent'; commandId: string; command: ControlCommand; atMs: number }
  | { type: 'applied'; commandId: string; atMs: number; endedByServer?: boolean }
  | { type: 'failed'; commandId: string; atMs: number; error: ProtocolError | string }
  | { type: 'timedOut'; commandId: string; atMs: number };

export const initialControlState = (): ControlState => ({ entries: [] });

/** The control a command belongs to: a later command with the same key supersedes its status. */
export function controlKey(command: ControlCommand): string {
  switch (command.type) {
    case 'pause':
    case 'resume':
      return 'pause';
    case 'setDifficulty':
      return `difficulty:${Object.keys(command.change).sort().join(',')}`;
    default:
      return command.type;
  }
}

const errorText = (error: ProtocolError | string): string =>
  typeof error === 'string' ? error : error.message;

/**
 * Pure transition. Allowed: sent -> applied | failed, and failed -> applied when a late answer
 * shows the headset did apply it (the headset is the truth). Anything else is ignored.
 */
export function reduceControl(state: ControlState, event: ControlEvent): ControlState {
  if (event.type === 'sent') {
    if (state.entries.some((e) => e.commandId === event.commandId)) return state;
    const entry: ControlEntry = {
      commandId: event.commandId,
      command: event.command,
      key: controlKey(event.command),
      status: 'sent',
      sentAtMs: event.atMs,
      answeredAtMs: null,
      error: null,
      endedByServer: false,
    };
    return { entries: [...state.entries, entry].slice(-MAX_CONTROL_ENTRIES) };
  }
  const index = state.entries.findIndex((e) => e.commandId === event.commandId);
  if (index < 0) return state;
  const entry = state.entries[index]!;
  let next: ControlEntry | null = null;
  if (event.type === 'applied' && entry.status !== 'applied') {
    next = {
      ...entry,
      status: 'applied',
      answeredAtMs: event.atMs,
      error: null,
      endedByServer: event.endedByServer === true,
    };
  } else if (event.type === 'failed' && entry.status === 'sent') {
    next = { ...entry, status: 'failed', answeredAtMs: event.atMs, error: errorText(event.error) };
  } else if (event.type === 'timedOut' && entry.status === 'sent') {
    next = {
      ...entry,
      status: 'failed',
      answeredAtMs: event.atMs,
      error: 'No answer from the headset',
    };
  }
  if (next === null) return state;
  const entries = state.entries.slice();
  entries[index] = next;
  return { entries };
}

/** The newest entry for each control key. */
export function latestByKey(state: ControlState): Map<string, ControlEntry> {
  const latest = new Map<string, ControlEntry>();
  for (const entry of state.entries) latest.set(entry.key, entry);
  return latest;
}

export function statusLabel(entry: ControlEntry): string {
  if (entry.status === 'sent') return 'sent';
  if (entry.status === 'applied')
    return entry.endedByServer ? 'ended on the server (headset away)' : 'applied on headset';
  return `failed: ${entry.error ?? 'unknown error'}`;
}
