import { Suspense } from 'react';
import { Text } from '@react-three/drei';
import type { PresetsStore } from '../entry/presets';
import type { GameSnapshot, GameStore } from './store';

/** Served from assets/ (DejaVu Sans Bold): drei's default would fetch a font from a CDN. */
const FONT_URL = '/fonts/DejaVuSans-Bold.ttf';

function statusLine(s: GameSnapshot): string {
  if (s.status === 'rest' && s.restSecondsLeft !== null) return `Rest: ${s.restSecondsLeft} s`;
  if (s.status === 'paused') return 'Paused';
  if (s.status === 'calibrating') return `Measuring: ${s.calibrationStep ?? ''}`;
  return `Score ${s.score}   Streak ${s.streak}   Level ${Math.round(s.level)}`;
}

/** The in-VR board: instruction, score and progress, rest countdown (the end scene follows it). */
export function Panel({
  store,
  presets,
  plannedTrials,
}: {
  store: GameStore;
  presets: PresetsStore;
  plannedTrials: number;
}) {
  // Each line is selected as its text: the board draws again only when what it says changes (the
  // session publishes its clock every second, which the board does not show).
  const ended = store((s) => s.status === 'ended');
  const status = store(statusLine);
  const instruction = store((s) => s.instruction);
  const footer = store(
    (s) => s.feedback || `Reach ${Math.min(s.trialNumber, plannedTrials)} of ${plannedTrials}`,
  );
  const style = presets((p) => p.style);
  const colors = style.palette;
  // The session's end has its own scene (worlds/EndScene.tsx) where this board stood.
  if (ended) return null;
  return (
    <Suspense fallback={null}>
      <group position={[0, 1.75, -1.4]} scale={style.panelScale}>
        <mesh position={[0, -0.05, -0.01]}>
          <planeGeometry args={[1.5, 0.62]} />
          <meshBasicMaterial color={colors.panel} transparent opacity={style.panelOpacity} />
        </mesh>
        <Text
          font={FONT_URL}
          fontSize={0.07}
          color={colors.target}
          position={[0, 0.18, 0]}
          maxWidth={1.4}
          textAlign="center"
        >
          {status}
        </Text>
        <Text
          font={FONT_URL}
          fontSize={0.055}
          color={colors.text}
          position={[0, 0.02, 0]}
          maxWidth={1.4}
          textAlign="center"
        >
          {instruction}
        </Text>
        <Text
          font={FONT_URL}
          fontSize={0.05}
          color={colors.goal}
          position={[0, -0.2, 0]}
          maxWidth={1.4}
          textAlign="center"
        >
          {footer}
        </Text>
      </group>
    </Suspense>
  );
}
