// API clients must present a certificate with a DNS SAN under one of our
// service domains.
const DOMAINS = ['.example.com', '.example.net'];

function endsWith(s, suffix) {
  return s.length >= suffix.length && s.substring(s.length - suffix.length) === suffix;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    connection.deny();
    return;
  }
  const san = cc.certificates.leaf.san;
  if (typeof san !== 'string' || san === '') {
    connection.deny();
    return;
  }
  const entries = san.split(',');
  let matched = false;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i].trim();
    if (e.indexOf('DNS:') !== 0) continue;
    const name = e.substring(4).toLowerCase();
    for (let j = 0; j < DOMAINS.length; j++) {
      if (endsWith(name, DOMAINS[j])) {
        // BUG: no break/return: two matching SANs call allow() twice.
        connection.allow();
        matched = true;
      }
    }
  }
  if (!matched) connection.deny();
}
