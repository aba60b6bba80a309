import type { XRDevice } from 'iwer';

/** Automation mode: tests drive the emulated headset themselves, so no on-screen panel. */
export const isAutomation = (): boolean =>
  new URLSearchParams(location.search).get('automation') === '1';

/**
 * On a desktop without immersive VR, installs the IWER emulator of a Quest 3 before the game
 * module (and its XR store) is evaluated. Chromium always exposes a native navigator.xr, hence
 * forceInstall. Returns the emulated device, or null on a real headset.
 */
export async function installEmulatorIfNeeded(): Promise<XRDevice | null> {
  const supported =
    (await navigator.xr?.isSessionSupported('immersive-vr').catch(() => false)) ?? false;
  if (supported) return null;
  const { XRDevice, metaQuest3 } = await import('iwer');
  const device = new XRDevice(metaQuest3);
  device.ipd = 0;
  device.installRuntime({ forceInstall: true });
  if (!isAutomation()) {
    const { DevUI } = await import('@iwer/devui');
    device.installDevUI(DevUI);
  }
  return device;
}
