// Wildcard certificates of our own CA must not list one name twice in
// their SANs (names compare case-insensitively, label by label, ignoring a
// trailing dot). Other certificates are checked by the trust store only.
const OWN_ORG = 'O=' + ['Example', 'Corp'].join(' ');

function labels(name) {
  return name.replace(/\.$/, '').toLowerCase().split('.');
}

function sameName(a, b) {
  const la = labels(a);
  const lb = labels(b);
  if (la.length !== lb.length) {
    return false;
  }
  for (let i = 0; i < la.length; i++) {
    if (la[i] !== lb[i]) {
      return false;
    }
  }
  return true;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  const subject = String(leaf.subject);
  if (subject.indexOf('CN=*.') === -1 || String(leaf.issuer).indexOf(OWN_ORG) === -1) {
    return connection.allow();
  }
  const names = String(leaf.san || '').split(',').filter((x) => x.indexOf('DNS:') === 0).map((x) => x.slice(4));
  let duplicates = 0;
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (sameName(names[i], names[j])) {
        duplicates++;
      }
    }
  }
  if (duplicates > 0) {
    connection.logCustomData(duplicates + ' duplicate SAN names');
    return connection.deny();
  }
  return connection.allow();
}
