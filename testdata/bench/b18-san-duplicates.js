// SAN hygiene. A SAN list that repeats a name is the signature of our old,
// broken issuance template, and those certificates are being phased out:
// refuse them. Otherwise every name must be under example.com.
const DOMAIN = '.example.com';

function hasDuplicate(names) {
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (names[i].trim().toLowerCase() === names[j].trim().toLowerCase()) {
        return true;
      }
    }
  }
  return false;
}

function underDomain(name) {
  const n = name.trim().toLowerCase().replace(/^dns:/, '');
  return n.length > DOMAIN.length && n.slice(-DOMAIN.length) === DOMAIN;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const san = cc.certificates.leaf.san;
  if (typeof san !== 'string' || san === '') {
    return connection.deny();
  }
  const names = san.split(',');
  if (hasDuplicate(names)) {
    connection.logCustomData('duplicate SAN entries');
    return connection.deny();
  }
  if (!names.every(underDomain)) {
    return connection.deny();
  }
  return connection.allow();
}
