// Responder pinning. Our leaf certificates name our own OCSP responders;
// a certificate naming any other responder was issued by a sibling CA that
// shares our root and must be refused.
const OUR_RESPONDERS = ['ocsp.example.com', 'ocsp.example.org'];
const OUR_ROOT_SUFFIX = 'O=Example Corp,C=US';

function hostOf(url) {
  return url.split('/')[2].split(':')[0].toLowerCase();
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (String(leaf.issuer).replace(/,\s+/g, ',').slice(-OUR_ROOT_SUFFIX.length) !== OUR_ROOT_SUFFIX) {
    return connection.deny();
  }
  const host = hostOf(leaf.ocspEndpoint);
  if (OUR_RESPONDERS.indexOf(host) === -1) {
    connection.logCustomData('foreign OCSP responder ' + host);
    return connection.deny();
  }
  return connection.allow();
}
