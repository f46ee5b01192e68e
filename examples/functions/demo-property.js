// Property demo-property, the security policy that demo.js and clean.js
// must keep: a certificate whose serial is revoked in demo-kvs.json, or whose
// leaf OCSP status is Revoked, is never allowed.
//
// cffuzz calls check(connection, outcome) after each run: connection is the
// parsed connection object (any JSON value for malformed cases), outcome is
// {decision: "allow"|"deny"|"none", error, utilization, logs, customData,
// calls}. It returns true when the property holds, or a message saying why
// it does not.
const REVOKED = ['4a3f5c92d1e87b6c', '1001', '7f1e2d3c4b5a69788796a5b4c3d2e1f001122334'];

function check(connection, outcome) {
  if (outcome.decision !== 'allow') {
    return true;
  }
  const cc = connection && connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (leaf && typeof leaf.serialNumber === 'string') {
    const hex = leaf.serialNumber.split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
    if (REVOKED.indexOf(hex) !== -1) {
      return 'allowed a certificate whose serial is revoked in the KVS';
    }
  }
  const rs = cc && cc.revocationStatus;
  const st = rs && rs.certificates && rs.certificates.leaf;
  if (st && st.status === 'Revoked') {
    return 'allowed a certificate whose OCSP status is Revoked';
  }
  return true;
}
