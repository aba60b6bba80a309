import { describe, expect, it } from 'vitest';
import { worldText } from '../../../client/therapist/ui/world-text';
import { FHIR_CODES } from '../../../shared/clinical/records/fhir';
import { playedWorldSchema } from '../../../shared/protocol/primitives';

describe('world names', () => {
  it('are the same words on the therapist pages and in the FHIR export', () => {
    const fhirDisplay = (code: string) => FHIR_CODES.find((c) => c.code === code)?.display;
    expect(playedWorldSchema.options.map((w) => [w, worldText(w), fhirDisplay(w)])).toEqual([
      ['orchard', 'Orchard in the morning', 'Orchard in the morning'],
      ['lantern', 'Lantern festival at dusk', 'Lantern festival at dusk'],
      ['reef', 'Underwater reef', 'Underwater reef'],
      ['plain', 'Plain room', 'Plain room'],
    ]);
    expect(FHIR_CODES.find((c) => c.code === 'reef')?.definition).toBe(
      'Game world: underwater reef. The world the session was played in (extension game-world on the session Observations); the tasks, targets and every measure are the same in every world.',
    );
  });

  it('reads a dash for a session whose world is not known', () => {
    expect(worldText(null)).toBe('–');
    expect(worldText(undefined)).toBe('–');
  });
});
