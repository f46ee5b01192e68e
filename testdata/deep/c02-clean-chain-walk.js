// Chain policy (clean). The client's chain must lead, through the
// intermediates it sent, to one of our roots; each intermediate is used at
// most once, so a chain that loops is refused.
const ROOTS = ['Example Root CA', 'Partner Root CA G2'];
const ISSUING = ['Example Corp Intermediate CA', 'mTLS-CA'];

function commonName(dn) {
  const m = /(?:^|,\s*)CN=([^,]*)/.exec(String(dn || ''));
  return m ? m[1] : '';
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
  const used = [];
  let cert = leaf;
  while (used.length < chain.length) {
    let parent = -1;
    for (let i = 0; i < chain.length; i++) {
      if (used.indexOf(i) === -1 && chain[i].subject === cert.issuer) {
        parent = i;
        break;
      }
    }
    if (parent < 0) {
      return connection.deny();
    }
    if (ROOTS.indexOf(commonName(chain[parent].issuer)) !== -1) {
      return connection.allow();
    }
    used.push(parent);
    cert = chain[parent];
  }
  connection.logCustomData('chain does not reach a root');
  return connection.deny();
}
