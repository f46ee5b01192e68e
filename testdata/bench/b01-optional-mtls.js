// Partner gateway. mTLS is "optional" on this distribution: partners
// present a certificate from the partner CA and may connect from anywhere;
// staff without a certificate may connect only from the office egress
// addresses. Everybody else is refused.
const PARTNER_ISSUER_CN = 'Example Corp Intermediate CA';
const OFFICE_EGRESS = ['203.0.113.', '198.51.100.'];

function commonName(dn) {
  const parts = String(dn).split(/,\s*/);
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].indexOf('CN=') === 0) {
      return parts[i].slice(3);
    }
  }
  return '';
}

function fromOffice(ip) {
  return OFFICE_EGRESS.some((prefix) => String(ip).indexOf(prefix) === 0);
}

function connectionHandler(connection) {
  const leaf = connection.clientCertificate.certificates.leaf;
  console.log('connection ' + connection.connectionId + ' from ' + connection.clientIp);

  if (leaf) {
    if (commonName(leaf.issuer) === PARTNER_ISSUER_CN) {
      connection.logCustomData('partner=' + commonName(leaf.subject));
      return connection.allow();
    }
    console.log('certificate from unknown issuer ' + leaf.issuer);
    return connection.deny();
  }

  if (fromOffice(connection.clientIp)) {
    connection.logCustomData('staff-no-cert');
    return connection.allow();
  }
  return connection.deny();
}
