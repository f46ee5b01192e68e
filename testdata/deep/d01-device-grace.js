// Certificate lifetime policy. Certificates must be inside their validity
// window, with one exception: fleet devices (OU "Devices") may connect for
// up to 14 days after their certificate expired, so that a device that was
// offline when its certificate rolled over can still reach the enrolment
// endpoint and fetch a new one. During the grace period the device must
// still be in good standing with OCSP.
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
    connection.logCustomData('not yet valid');
    return connection.deny();
  }
  if (notAfter >= now) {
    return connection.allow();
  }
  if (rdnValue(leaf.subject, 'OU') !== FLEET_OU) {
    connection.logCustomData('expired');
    return connection.deny();
  }
  const daysExpired = (now - notAfter) / DAY_MS;
  if (daysExpired > GRACE_DAYS) {
    connection.logCustomData('device certificate expired ' + Math.floor(daysExpired) + ' days ago');
    return connection.deny();
  }
  const leafStatus = cc.revocationStatus.certificates.leaf.status;
  if (leafStatus !== 'Good') {
    connection.logCustomData('grace refused: OCSP ' + leafStatus);
    return connection.deny();
  }
  connection.logCustomData('grace period: day ' + Math.ceil(daysExpired));
  return connection.allow();
}
