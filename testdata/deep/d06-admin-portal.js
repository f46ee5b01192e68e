// Admin portal. The admin distribution admits only certificates of the
// Admins OU issued by our intermediate; every other distribution admits any
// certificate of our intermediate.
const ADMIN_DISTRIBUTION = 'E' + (2).toString() + 'ADMIN' + 'PORTAL' + 'X';
const ISSUER = 'CN=Example Corp Intermediate CA';
const ADMIN_ROLE = 'Admins';

function subjectParts(subject) {
  return String(subject || '').split(',').map((p) => p.trim());
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (String(leaf.issuer).indexOf(ISSUER) !== 0) {
    return connection.deny();
  }
  if (connection.distributionId !== ADMIN_DISTRIBUTION) {
    return connection.allow();
  }
  const parts = subjectParts(leaf.subject);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'OU=' + ADMIN_ROLE) {
      connection.logCustomData('admin ' + parts[0]);
      return connection.allow();
    }
  }
  return connection.deny();
}
