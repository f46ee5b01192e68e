// Local revocation list: serials revoked by the security team (hex, as printed
// by openssl). A certificate whose serial is on the list is denied.
const REVOKED = [
  '4a3f5c92d1e87b6c',
  '009e2aaf1656e547257d2e38c3f99d57fa',
  '1f2e3d4c5b6a7988'
];

function serialValue(s) {
  // BUG: parseInt loses precision above 2^53; long serials that differ only in
  // their low bytes compare equal, so unrelated certificates are denied.
  return parseInt(String(s).replace(/:/g, ''), 16);
}

const REVOKED_VALUES = REVOKED.map(function (s) { return serialValue(s); });

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    connection.deny();
    return;
  }
  const v = serialValue(cc.certificates.leaf.serialNumber);
  if (REVOKED_VALUES.indexOf(v) !== -1) {
    connection.logCustomData('revoked serial');
    connection.deny();
    return;
  }
  connection.allow();
}
