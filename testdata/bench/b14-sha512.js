const crypto = require('crypto');

// Audit identifiers. Each allowed connection is tagged with a short, stable
// client identifier. Newer connection objects carry the subject public key
// (spki), which survives certificate renewal, so we prefer it; older ones
// fall back to issuer and serial.
const ALLOWED_ISSUERS = [
  'CN=Example Corp Intermediate CA,O=Example Corp,C=US',
  'CN=Intermediate CA,O=Example Org',
  'C=US,O=Ram,OU=Edge,ST=WA,CN=mTLS-CA,L=Snoqualmie'
];

function clientId(leaf) {
  if (typeof leaf.spki === 'string' && leaf.spki.length > 0) {
    return crypto.createHash('sha512').update(leaf.spki).digest('hex').slice(0, 24);
  }
  const material = String(leaf.issuer) + '|' + String(leaf.serialNumber);
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 24);
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const issuer = String(leaf.issuer).replace(/,\s+/g, ',');
  if (ALLOWED_ISSUERS.indexOf(issuer) === -1) {
    return connection.deny();
  }
  connection.logCustomData('client=' + clientId(leaf));
  return connection.allow();
}
