import { useState } from 'react';

export interface FollowedChoice<T> {
  /** What the selector shows. */
  value: T;
  /** The therapist picks `next`: the selector keeps it until it is sent (picking what is in force is no edit). */
  edit(next: T): void;
  /** The therapist sent it: the selector follows what is in force again. */
  sent(): void;
}

const keyOf = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

/**
 * A live selector that shows what is in force in the session (`inForce`, as its headset last
 * published it: known late after a page reload, changed by a command or by the plan's next set)
 * until the therapist starts editing it, so a "Set" pressed without looking sends what the session
 * plays already, never a default. `fallback` shows while nothing is known (no session yet).
 */
export function useFollowedChoice<T>(inForce: T | null, fallback: T): FollowedChoice<T> {
  const [value, setValue] = useState<T>(inForce ?? fallback);
  const [edited, setEdited] = useState(false);
  const inForceKey = keyOf(inForce);
  const [followedKey, setFollowedKey] = useState(inForceKey);
  if (inForceKey !== followedKey) {
    setFollowedKey(inForceKey);
    if (inForce !== null && !edited) setValue(inForce);
  }
  return {
    value,
    edit(next) {
      setValue(next);
      setEdited(inForceKey === null || keyOf(next) !== inForceKey);
    },
    sent() {
      setEdited(false);
    },
  };
}
