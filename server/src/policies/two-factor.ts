// Whether the workspace requires a second factor of someone, and since when. Pure: the
// policy, the person's role and the clock in; the verdict out.
export interface TwoFactorPolicyInput {
  require: 'off' | 'admins' | 'everyone';
  enforceAt: string | null;
}

export interface TwoFactorRequirement {
  /** The policy covers this person. */
  required: boolean;
  /** When the grace period ends (null when not required). */
  enrolBy: Date | null;
  /** Required and past the grace period: signing in without a factor forces enrolment. */
  overdue: boolean;
}

export function twoFactorRequirement(policy: TwoFactorPolicyInput, role: 'admin' | 'member' | 'guest', now: Date = new Date()): TwoFactorRequirement {
  const required = policy.require === 'everyone' || (policy.require === 'admins' && role === 'admin');
  if (!required) return { required: false, enrolBy: null, overdue: false };
  const enrolBy = policy.enforceAt ? new Date(policy.enforceAt) : now;
  return { required, enrolBy, overdue: now.getTime() >= enrolBy.getTime() };
}
