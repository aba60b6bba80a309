/**
 * The one error the kinematics library throws, from computeReachMetrics and sparc only, before
 * computing anything: an option or input out of range. `field` names it; the message says what is
 * accepted. analyzeReach returns the same refusal as a value instead.
 */
export class ReachInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ReachInputError';
    this.field = field;
  }
}
