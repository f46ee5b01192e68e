// Property revoked-serial-denied: a certificate whose serial number is
// revoked in kvs/bench-kvs.json ("revoked:<hex>") is never allowed,
// whatever the format of the serial (leading 00 byte, upper or lower case).
//
// check(connection, outcome) returns true when the property holds and a
// message otherwise; outcome is {decision, error, utilization, logs,
// customData, calls}.
const REVOKED = ['4a3f5c92d1e87b6c', '7f1e2d3c4b5a69788796a5b4c3d2e1f001122334', '1001'];

function check(connection, outcome) {
  if (outcome.decision !== 'allow') {
    return true;
  }
  const cc = connection && connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  if (!leaf || typeof leaf.serialNumber !== 'string') {
    return true;
  }
  const hex = leaf.serialNumber.split(':').join('').toLowerCase().replace(/^0+(?=.)/, '');
  if (REVOKED.indexOf(hex) !== -1) {
    return 'allowed revoked serial ' + leaf.serialNumber;
  }
  return true;
}
