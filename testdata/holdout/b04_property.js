// Only serials on the list may be denied as revoked. Serials compare as
// numbers: leading zero bytes do not matter.
function check(connection, outcome) {
  var revoked = ['4a3f5c92d1e87b6c', '9e2aaf1656e547257d2e38c3f99d57fa', '1f2e3d4c5b6a7988'];
  var cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) return true;
  if (typeof cc.certificates.leaf.serialNumber !== 'string') return true;
  if (outcome.customData !== 'revoked serial') return true;
  var s = cc.certificates.leaf.serialNumber.replace(/:/g, '').toLowerCase().replace(/^0+/, '');
  if (revoked.indexOf(s) === -1) {
    return 'serial ' + s + ' denied as revoked but not on the list';
  }
  return true;
}
