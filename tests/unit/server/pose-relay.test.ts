import { describe, expect, it, vi } from 'vitest';
import { rooms } from '../../../server/auth/principal';
import type { ReachIo } from '../../../server/context';
import { localPoseRelay, poseRouteOf } from '../../../server/live/pose-relay';

/** Just what the local relay uses of Socket.IO: `io.local.to(room).volatile.emit`. */
function recordingIo() {
  const emitted: { room: string; event: string; payload: unknown }[] = [];
  const io = {
    local: {
      to: (room: string) => ({
        volatile: {
          emit: (event: string, payload: unknown) => emitted.push({ room, event, payload }),
        },
      }),
    },
  };
  return { io: io as unknown as ReachIo, emitted };
}

describe('the local pose relay', () => {
  it("sends each frame to the patient's watchers without working out their room per frame", () => {
    const { io, emitted } = recordingIo();
    const route = poseRouteOf('patient-1', 'alias-1');
    expect(route).toEqual({
      patientId: 'patient-1',
      watchersRoom: 'patient:patient-1',
      alias: 'alias-1',
    });
    const roomOf = vi.spyOn(rooms, 'patientWatchers');
    try {
      const relay = localPoseRelay(io);
      for (const frame of ['AAAA', 'BBBB', 'CCCC']) relay.relay(route, frame);
      expect(roomOf).not.toHaveBeenCalled();
    } finally {
      roomOf.mockRestore();
    }
    expect(emitted).toEqual(
      ['AAAA', 'BBBB', 'CCCC'].map((frame) => ({
        room: 'patient:patient-1',
        event: 'live:pose',
        payload: ['alias-1', frame],
      })),
    );
  });
});
