// Chain policy. The client's chain must lead, through the intermediates it
// sent, to one of our roots. A leaf issued directly by a trusted issuing CA
// needs no intermediates.
const ROOTS = ['Example Root CA', 'Partner Root CA G2'];
const ISSUING = ['Example Corp Intermediate CA', 'mTLS-CA'];

function commonName(dn) {
  const m = /(?:^|,\s*)CN=([^,]*)/.exec(String(dn || ''));
  return m ? m[1] : '';
}

function findIssuer(chain, cert) {
  for (let i = 0; i < chain.length; i++) {
    if (chain[i].subject === cert.issuer) {
      return chain[i];
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
  const chain = cc.certificates.intermediates || [];
  if (chain.length === 0) {
    return ISSUING.indexOf(commonName(leaf.issuer)) !== -1 ? connection.allow() : connection.deny();
  }
  let cert = leaf;
  for (;;) {
    const parent = findIssuer(chain, cert);
    if (!parent) {
      connection.logCustomData('chain broken at ' + commonName(cert.subject));
      return connection.deny();
    }
    if (ROOTS.indexOf(commonName(parent.issuer)) !== -1) {
      return connection.allow();
    }
    cert = parent;
  }
}
