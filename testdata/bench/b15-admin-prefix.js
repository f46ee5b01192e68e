// Admin console. Certificates of the Admins OU may connect only from the
// admin VPN, 10.1.0.0/16; every other certificate from our CA may connect
// from anywhere.
const ADMIN_VPN_PREFIX = '10.1';
const OUR_ISSUER_CN = 'Example Corp Intermediate CA';

function attributes(dn, name) {
  const found = [];
  const rdns = String(dn).split(/,\s*/);
  for (let i = 0; i < rdns.length; i++) {
    const eq = rdns[i].indexOf('=');
    if (eq > 0 && rdns[i].slice(0, eq) === name) {
      found.push(rdns[i].slice(eq + 1));
    }
  }
  return found;
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (attributes(leaf.issuer, 'CN').indexOf(OUR_ISSUER_CN) === -1) {
    return connection.deny();
  }
  const isAdmin = attributes(leaf.subject, 'OU').indexOf('Admins') !== -1;
  if (isAdmin && !String(connection.clientIp).startsWith(ADMIN_VPN_PREFIX)) {
    connection.logCustomData('admin outside VPN');
    return connection.deny();
  }
  connection.logCustomData(isAdmin ? 'admin' : 'user');
  return connection.allow();
}
