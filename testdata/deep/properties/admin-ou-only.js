// Property admin-ou-only: on the admin distribution, only a certificate
// whose subject really has OU=Admins (RFC 4514: escaped commas belong to the
// value) may be allowed.
//
// check(connection, outcome) returns true when the property holds and a
// message otherwise.
function check(connection, outcome) {
  if (outcome.decision !== 'allow' || !connection || connection.distributionId !== 'E2ADMINPORTALX') {
    return true;
  }
  const leaf = connection.clientCertificate && connection.clientCertificate.certificates && connection.clientCertificate.certificates.leaf;
  if (!leaf) {
    return true;
  }
  const subject = String(leaf.subject || '');
  // Attribute values that hold an escaped comma are one value, however
  // they read.
  const parts = [];
  let cur = '';
  for (let i = 0; i < subject.length; i++) {
    if (subject[i] === '\\' && i + 1 < subject.length) {
      cur += '\\' + subject[i + 1];
      i++;
    } else if (subject[i] === ',') {
      parts.push(cur.trim());
      cur = '';
    } else {
      cur += subject[i];
    }
  }
  parts.push(cur.trim());
  if (parts.indexOf('OU=Admins') === -1) {
    return 'admin distribution allowed a certificate without OU=Admins: ' + subject;
  }
  return true;
}
