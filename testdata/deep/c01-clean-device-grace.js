// Certificate lifetime policy (clean). Certificates must be inside their
// validity window; fleet devices (OU "Devices") may connect for up to 14
// days after expiry if OCSP, when it is on, says the leaf is good.
const DAY_MS = 24 * 60 * 60 * 1000;
const GRACE_DAYS = 7 * 2;
const FLEET_OU = ['Dev', 'ices'].join('');

function rdnValue(dn, attr) {
  const parts = String(dn || '').split(/,\s*/);
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq > 0 && parts[i].slice(0, eq).trim().toUpperCase() === attr) {
      return parts[i].slice(eq + 1);
    }
  }
  return null;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const validity = leaf.validity || {};
  const notBefore = Date.parse(validity.notBefore);
  const notAfter = Date.parse(validity.notAfter);
  if (isNaN(notBefore) || isNaN(notAfter)) {
    return connection.deny();
  }
  const now = Date.now();
  if (notBefore > now) {
    return connection.deny();
  }
  if (notAfter >= now) {
    return connection.allow();
  }
  if (rdnValue(leaf.subject, 'OU') !== FLEET_OU) {
    return connection.deny();
  }
  const daysExpired = (now - notAfter) / DAY_MS;
  if (daysExpired > GRACE_DAYS) {
    return connection.deny();
  }
  const rs = cc.revocationStatus;
  const leafResult = rs && rs.certificates && rs.certificates.leaf;
  if (leafResult && leafResult.status !== 'Good') {
    connection.logCustomData('grace refused: OCSP ' + leafResult.status);
    return connection.deny();
  }
  connection.logCustomData('grace period: day ' + Math.ceil(daysExpired));
  return connection.allow();
}
