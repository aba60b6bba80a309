/** Version of docs/clinical-core.md (specification v1) these algorithms implement. */
export const SPEC_VERSION = '1';
