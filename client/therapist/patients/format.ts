/** Display formatting in one place so every page writes numbers and dates the same way. */
export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '–';

export const formatPercent = (fraction: number | null | undefined): string =>
  fraction === null || fraction === undefined ? '–' : `${Math.round(fraction * 100)} %`;

export const formatNumber = (value: number | null | undefined, digits = 2, unit = ''): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
