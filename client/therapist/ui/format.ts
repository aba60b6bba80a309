/** Display formatting in one place so every page writes numbers and dates the same way. */
export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '–';

/** How the dashboard names a headset: the start of its device id, as in the paired list. */
export const deviceName = (deviceId: string): string => `headset ${deviceId.slice(0, 8)}`;

export const formatPercent = (fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? '–' : `${Math.round(fraction * 100)} %`;

export const formatNumber = (value: number | null | undefined, digits = 2, unit = ''): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
