// Expiry monitor (clean). Certificates from our CAs are allowed inside their
// validity window (IgnoreCertificateExpiry is on, so expired ones do reach
// the function) and logged with their days left; certificates expiring
// within 30 days are tagged for the renewal job.
const DAY_MS = 24 * 60 * 60 * 1000;
const RENEW_WITHIN_DAYS = 30;
const OUR_CAS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

function cnOf(dn) {
  const m = /(?:^|,)\s*CN=([^,]*)/.exec(dn);
  return m ? m[1].trim() : '';
}

function parseTime(s) {
  return typeof s === 'string' && ISO_UTC.test(s) ? Date.parse(s) : NaN;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || typeof leaf.issuer !== 'string' || !leaf.validity) {
    return connection.deny();
  }
  if (OUR_CAS.indexOf(cnOf(leaf.issuer)) === -1) {
    return connection.deny();
  }
  const notBefore = parseTime(leaf.validity.notBefore);
  const notAfter = parseTime(leaf.validity.notAfter);
  const now = Date.now();
  if (!(notBefore <= now && now <= notAfter)) {
    connection.logCustomData('outside validity window');
    return connection.deny();
  }
  const daysLeft = Math.floor((notAfter - now) / DAY_MS);
  console.log('days left ' + String(daysLeft).padStart(5, ' '));
  if (daysLeft < RENEW_WITHIN_DAYS) {
    connection.logCustomData('renew-soon;days=' + daysLeft);
  }
  return connection.allow();
}
