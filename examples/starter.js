// connection-function.js: a starter CloudFront connection function
// (runtime cloudfront-js-2.0), written by `fuzz init`. Replace the policy
// with yours; `fuzz run` fuzzes it with the settings in cffuzz.yaml.
//
// Policy: allow a client whose certificate was issued by one of
// ALLOWED_ISSUERS, deny every other connection. Every field is checked
// before it is used, and every path ends in exactly one allow() or deny().

const ALLOWED_ISSUERS = ['Example Corp Intermediate CA'];

// issuerCN returns the CN of a DN in either documented style:
// "CN=a,O=b,C=US" or "C=US, O=b, CN=a".
function issuerCN(dn) {
  const m = /(?:^|,)\s*CN=([^,]*)/.exec(dn);
  return m ? m[1].trim() : '';
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || typeof leaf.issuer !== 'string') {
    return connection.deny();
  }
  if (ALLOWED_ISSUERS.indexOf(issuerCN(leaf.issuer)) === -1) {
    return connection.deny();
  }
  return connection.allow();
}
