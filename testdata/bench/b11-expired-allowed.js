// Contractor access. IgnoreCertificateExpiry is enabled on the distribution
// so that expired contractor certificates reach this function and are logged
// here (the connection log then shows who is still trying). They must still
// be refused: only certificates inside their validity window get in.
const CONTRACTOR_ISSUERS = ['Example Corp Intermediate CA', 'Contractor CA'];

function issuerCN(issuer) {
  const rdns = String(issuer).split(/,\s*/);
  for (let i = 0; i < rdns.length; i++) {
    if (rdns[i].slice(0, 3) === 'CN=') {
      return rdns[i].slice(3);
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
  if (CONTRACTOR_ISSUERS.indexOf(issuerCN(leaf.issuer)) === -1) {
    return connection.deny();
  }
  const validity = leaf.validity || {};
  const notBefore = Date.parse(validity.notBefore);
  const notAfter = Date.parse(validity.notAfter);
  if (isNaN(notBefore) || isNaN(notAfter)) {
    return connection.deny();
  }
  if (notAfter < Date.now) {
    connection.logCustomData('expired contractor cert ' + leaf.serialNumber);
    return connection.deny();
  }
  if (notBefore > Date.now()) {
    connection.logCustomData('contractor cert not yet valid');
    return connection.deny();
  }
  return connection.allow();
}
