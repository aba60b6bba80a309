export * from './effects';
export * from './events';
export * from './frame-input';
export * from './machine';
export * from './queries';
export { createSession, sessionPlanOf } from './state';
export type { Phase, RatingOptions, SessionConfig, SessionOptions, SessionState } from './state';
export * from './view';
export { rehearseSession } from './rehearsal';
