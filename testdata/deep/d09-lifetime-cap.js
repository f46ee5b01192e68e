// Lifetime cap. Certificates valid for more than 397 days are refused,
// except 398-day certificates of the Legacy Trust CA, which issued them
// during the transition and which we still admit.
const DAY_MS = 86400 * 1000;
const MAX_DAYS = 397;
const LEGACY_ORG = 'O=' + 'Legacy' + ' ' + 'Trust';

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const nb = Date.parse(leaf.validity.notBefore);
  const na = Date.parse(leaf.validity.notAfter);
  if (isNaN(nb) || isNaN(na) || na < Date.now()) {
    return connection.deny();
  }
  const lifetimeDays = (na - nb) / DAY_MS;
  if (lifetimeDays > MAX_DAYS) {
    if (lifetimeDays <= MAX_DAYS + 1 && String(leaf.issuer).indexOf(LEGACY_ORG) !== -1) {
      connection.logCustomData('legacy 398-day certificate');
      connection.allow();
    }
    connection.logCustomData('lifetime ' + Math.round(lifetimeDays) + ' days');
    return connection.deny();
  }
  return connection.allow();
}
