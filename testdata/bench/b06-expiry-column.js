// Expiry monitor. Valid certificates from our CAs are allowed and logged
// with the number of days they have left, right-aligned so the ops log
// viewer lines them up; certificates expiring within 30 days are tagged in
// the connection log so the renewal job can chase their owners.
const DAY_MS = 24 * 60 * 60 * 1000;
const RENEW_WITHIN_DAYS = 30;
const ISSUER_SUFFIXES = [',O=Example Corp,C=US', ', O=Example Org', ', L=Snoqualmie'];

function right4(n) {
  const s = String(n);
  return ' '.repeat(4 - s.length) + s;
}

function fromOurCA(issuer) {
  const dn = String(issuer);
  return ISSUER_SUFFIXES.some((suffix) => dn.slice(-suffix.length) === suffix);
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf || !cc.certificates.leaf.validity) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (!fromOurCA(leaf.issuer)) {
    return connection.deny();
  }
  const notBefore = Date.parse(leaf.validity.notBefore);
  const notAfter = Date.parse(leaf.validity.notAfter);
  const now = Date.now();
  if (isNaN(notBefore) || isNaN(notAfter) || now < notBefore || now > notAfter) {
    console.log('outside validity window');
    return connection.deny();
  }
  const daysLeft = Math.floor((notAfter - now) / DAY_MS);
  console.log('days left ' + right4(daysLeft) + ' serial ' + leaf.serialNumber);
  if (daysLeft < RENEW_WITHIN_DAYS) {
    connection.logCustomData('renew-soon;days=' + daysLeft);
  }
  return connection.allow();
}
