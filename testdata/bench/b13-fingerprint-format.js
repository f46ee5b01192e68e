// Audit trail. Certificates from our CAs are allowed; for the audit trail
// the first eight bytes of the certificate fingerprint go into the
// connection log in the usual colon-separated form ("ab:cd:ef:...").
const TRUSTED_ISSUER_CNS = ['Example Corp Intermediate CA', 'Intermediate CA', 'mTLS-CA'];

function cnOf(dn) {
  const m = String(dn).match(/CN=([^,]+)/);
  return m ? m[1] : '';
}

function shortFingerprint(fp) {
  const hex = String(fp).replace(/:/g, '').toLowerCase();
  const m = hex.match(/^[0-9a-f]{64}$/);
  return m[0].slice(0, 16).match(/../g).join(':');
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (TRUSTED_ISSUER_CNS.indexOf(cnOf(leaf.issuer)) === -1) {
    console.log('untrusted issuer');
    return connection.deny();
  }
  connection.logCustomData('fp=' + shortFingerprint(leaf.sha256Fingerprint));
  return connection.allow();
}
