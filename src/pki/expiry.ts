// The expiry warning rule, in its own small file: the extension's tree imports it without the linter.

const DAY = 86_400_000;

/**
 * When a certificate starts to count as "expiring soon": the earlier of `expiryWarningDays` before
 * its end and the last third of its lifetime. A 30-day dev certificate warns in its last 10 days
 * (not from the moment it is issued); a one-year certificate in its last 30 days. One rule for the
 * language server, the CLI, the inspector and the tree (docs/findings.md#expiring-soon).
 * Returns the window in milliseconds before notAfter.
 */
export function expiryWindow(notBefore: number, notAfter: number, expiryWarningDays: number): number {
  const lifetime = notAfter - notBefore;
  const byDays = Math.max(0, expiryWarningDays) * DAY;
  return lifetime > 0 ? Math.min(byDays, lifetime / 3) : byDays;
}

/** True when a certificate valid now is within its expiry window (see expiryWindow). */
export function expiresSoon(notBefore: number, notAfter: number, now: number, expiryWarningDays: number): boolean {
  return now <= notAfter && notAfter - now < expiryWindow(notBefore, notAfter, expiryWarningDays);
}
