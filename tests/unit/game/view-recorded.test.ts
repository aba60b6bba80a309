import { describe, expect, it } from 'vitest';
import recorded from './view-outputs.json';
import { viewOutputs } from './view-outputs';

describe('placement search, against outputs recorded before its ray walk was shared', () => {
  it('gives bit-identical points for 300 seeded workspaces, candidates, fractions and spreads', () => {
    // Recorded with: viewOutputs(300, 20261130), written as JSON (which keeps every double exactly).
    const outputs = viewOutputs(300, 20261130);
    expect(outputs).toHaveLength(recorded.length);
    for (let i = 0; i < outputs.length; i++) expect(outputs[i], `case ${i}`).toEqual(recorded[i]);
  });
});
