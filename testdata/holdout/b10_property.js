// Pinning: an allowed connection must carry a fingerprint whose first 8 bytes
// are one of the pins.
function check(connection, outcome) {
  if (outcome.decision !== 'allow') return true;
  var pins = ['abcdef1234567890', '1234567890abcdef'];
  var cc = connection.clientCertificate;
  var fp = cc && cc.certificates && cc.certificates.leaf ? cc.certificates.leaf.sha256Fingerprint : null;
  if (typeof fp !== 'string') return 'allowed without a fingerprint';
  var hex = fp.replace(/:/g, '').toLowerCase().substring(0, 16);
  if (pins.indexOf(hex) === -1) return 'allowed fingerprint ' + fp + ' is not pinned';
  return true;
}
