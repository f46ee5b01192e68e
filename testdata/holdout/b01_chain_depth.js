// Partner gateway: require a leaf issued through our partner intermediate CA,
// and cap chain depth at two intermediates (policy PARTNER-SEC-12).
const PARTNER_CA = 'CN=Partner Issuing CA';
const MAX_INTERMEDIATES = 2;

function issuedByPartner(leaf) {
  return typeof leaf.issuer === 'string' && leaf.issuer.indexOf(PARTNER_CA) !== -1;
}

function connectionHandler(connection) {
  const cert = connection.clientCertificate;
  if (!cert) {
    console.log('no client certificate');
    connection.deny();
    return;
  }
  const leaf = cert.certificates.leaf;
  // BUG: intermediates is absent when the client sends only its leaf.
  const depth = cert.certificates.intermediates.length;
  if (depth > MAX_INTERMEDIATES) {
    console.log('chain too deep: ' + depth);
    connection.deny();
    return;
  }
  if (!issuedByPartner(leaf)) {
    connection.logCustomData('issuer-rejected');
    connection.deny();
    return;
  }
  connection.allow();
}
